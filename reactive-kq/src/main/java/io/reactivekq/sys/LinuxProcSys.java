package io.reactivekq.sys;

import static io.reactivekq.sys.Native.C_INT;
import static io.reactivekq.sys.Native.C_LONG;
import static io.reactivekq.sys.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The process-related system calls of the emulation (EVFILT_PROC): pidfds, waitid on a pidfd,
 * the pidfd exit record, and the netlink socket of the kernel's process-event connector.
 * Every wrapper returns its result or {@code -errno}.
 */
public final class LinuxProcSys {
    private LinuxProcSys() {}

    /** x86_64 and aarch64 agree on pidfd_open's number (the syscall table was unified at 424+). */
    private static final long SYS_PIDFD_OPEN = 434;

    private static final int P_PIDFD = 3;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int CLD_EXITED = 1;
    private static final int CLD_KILLED = 2;
    private static final int CLD_DUMPED = 3;

    /** PIDFD_GET_INFO = _IOWR(0xFF, 11, struct pidfd_info) for the 64-byte first version. */
    private static final long PIDFD_GET_INFO = 0xC040FF0BL;
    private static final long PIDFD_INFO_EXIT = 1L << 3;
    private static final int PIDFD_INFO_SIZE = 64;
    private static final int PIDFD_INFO_EXIT_CODE = 60;

    public static final int AF_NETLINK = 16;
    public static final int NETLINK_CONNECTOR = 11;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;

    /** waitid found the process still running. */
    public static final int RUNNING = -1_000_000;

    private static final MethodHandle SYSCALL = Native.errnoCall("syscall",
        FunctionDescriptor.of(C_LONG, C_LONG, C_INT, C_INT), Native.firstVariadicArg(1));
    private static final MethodHandle WAITID = Native.errnoCall("waitid",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle IOCTL_PTR = Native.errnoCall("ioctl",
        FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), Native.firstVariadicArg(2));
    private static final MethodHandle SOCKET = Native.errnoCall("socket",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final MethodHandle BIND = Native.errnoCall("bind",
        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle SEND = Native.errnoCall("send",
        FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT));
    private static final MethodHandle RECV = Native.errnoCall("recv",
        FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT));
    private static final MethodHandle SETSOCKOPT = Native.errnoCall("setsockopt",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT));

    /** pidfd_open(2) (always close-on-exec): the pidfd, or -errno (ESRCH: no such process). */
    public static int pidfdOpen(long pid) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((long) SYSCALL.invokeExact(st, SYS_PIDFD_OPEN, (int) pid, 0), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Peeks at the exit of the process behind {@code pidfd} without reaping it
     * (waitid P_PIDFD, WEXITED | WNOWAIT | WNOHANG): its wait status (exit code in bits 8-15,
     * terminating signal in bits 0-6, 0x80 for a core dump), {@link #RUNNING}, or -errno
     * (ECHILD: not our child, or already reaped).
     */
    public static int peekExit(int pidfd) {
        MemorySegment s = Scratch.get();
        s.fill((byte) 0);
        try {
            MemorySegment st = Native.callState();
            int r = (int) Native.result((int) WAITID.invokeExact(st, P_PIDFD, pidfd, s, WEXITED | WNOWAIT | WNOHANG), st);
            if (r < 0) return r;
            // siginfo_t: si_signo @0, si_errno @4, si_code @8, si_pid @16, si_uid @20, si_status @24.
            if (s.get(C_INT, 16) == 0) return RUNNING;
            int code = s.get(C_INT, 8);
            int status = s.get(C_INT, 24);
            return switch (code) {
                case CLD_EXITED -> (status & 0xff) << 8;
                case CLD_KILLED -> status & 0x7f;
                case CLD_DUMPED -> (status & 0x7f) | 0x80;
                default -> RUNNING;
            };
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The exit record the kernel keeps on a pidfd once its process has been reaped
     * (PIDFD_GET_INFO with PIDFD_INFO_EXIT, Linux 6.15+): the wait status, or -errno
     * (ESRCH: not reaped yet or no record; ENOTTY/EINVAL: older kernel).
     */
    public static int reapedExit(int pidfd) {
        MemorySegment s = Scratch.get();
        s.asSlice(0, PIDFD_INFO_SIZE).fill((byte) 0);
        s.set(C_LONG, 0, PIDFD_INFO_EXIT);
        try {
            MemorySegment st = Native.callState();
            int r = (int) Native.result((int) IOCTL_PTR.invokeExact(st, pidfd, PIDFD_GET_INFO, s), st);
            if (r < 0) return r;
            if ((s.get(C_LONG, 0) & PIDFD_INFO_EXIT) == 0) return -3; // ESRCH
            return s.get(C_INT, PIDFD_INFO_EXIT_CODE) & 0xffff;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * A netlink socket of {@code protocol}, bound to the multicast {@code groups}; the fd or
     * -errno (EPERM: binding to a group needs CAP_NET_ADMIN). The receive buffer is raised to
     * {@code rcvbuf} (forced past rmem_max where the caller may).
     */
    public static int netlinkOpen(int protocol, int groups, int rcvbuf) {
        try {
            MemorySegment st = Native.callState();
            int fd = (int) Native.result((int) SOCKET.invokeExact(st, AF_NETLINK,
                LinuxSys.SOCK_DGRAM | LinuxSys.SOCK_CLOEXEC | LinuxSys.SOCK_NONBLOCK, protocol), st);
            if (fd < 0) return fd;
            MemorySegment s = Scratch.get();
            s.set(C_INT, 0, rcvbuf);
            int r = (int) Native.result((int) SETSOCKOPT.invokeExact(st, fd, LinuxSys.SOL_SOCKET, SO_RCVBUFFORCE,
                s, 4), st);
            if (r < 0) r = (int) SETSOCKOPT.invokeExact(st, fd, LinuxSys.SOL_SOCKET, SO_RCVBUF, s, 4);
            // struct sockaddr_nl: family u16, pad u16, pid u32 (0: the kernel assigns), groups u32.
            s.fill((byte) 0);
            s.set(Native.C_SHORT, 0, (short) AF_NETLINK);
            s.set(C_INT, 8, groups);
            r = (int) Native.result((int) BIND.invokeExact(st, fd, s, 12), st);
            if (r < 0) {
                LinuxSys.close(fd);
                return r;
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** send(2) of the first {@code len} bytes of {@code buf}; the count or -errno. */
    public static long send(int fd, ProcEventBuffer buf, int len) {
        try {
            MemorySegment st = Native.callState();
            return Native.result((long) SEND.invokeExact(st, fd, buf.out, (long) len, 0), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** recv(2) of one datagram into {@code buf} (non-blocking socket); the size, or -errno (EAGAIN, ENOBUFS). */
    public static long receive(int fd, ProcEventBuffer buf) {
        try {
            MemorySegment st = Native.callState();
            long r = Native.result((long) RECV.invokeExact(st, fd, buf.in, buf.in.byteSize(), 0), st);
            buf.limit = r > 0 ? (int) r : 0;
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
