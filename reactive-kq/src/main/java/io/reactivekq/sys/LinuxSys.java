package io.reactivekq.sys;

import static io.reactivekq.sys.Native.C_INT;
import static io.reactivekq.sys.Native.C_LONG;
import static io.reactivekq.sys.Native.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The Linux system calls the emulation needs, each returning its result or {@code -errno}.
 * Nothing here allocates per call: out-parameters and errno go through the calling thread's
 * {@link Scratch}, looked up once per call.
 */
public final class LinuxSys {
    private LinuxSys() {}

    // open(2), fcntl(2), epoll(7), eventfd(2), inotify(7) constants (same on x86_64 and aarch64).
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_DIRECTORY = 0200000;

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 1 << 31;

    public static final int POLLIN = 0x001;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    public static final int POLLRDHUP = 0x2000;

    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    public static final int IN_MODIFY = 0x002;
    public static final int IN_ATTRIB = 0x004;
    public static final int IN_CLOSE_WRITE = 0x008;
    public static final int IN_MOVED_FROM = 0x040;
    public static final int IN_MOVED_TO = 0x080;
    public static final int IN_CREATE = 0x100;
    public static final int IN_DELETE = 0x200;
    public static final int IN_DELETE_SELF = 0x400;
    public static final int IN_MOVE_SELF = 0x800;
    public static final int IN_UNMOUNT = 0x2000;
    public static final int IN_Q_OVERFLOW = 0x4000;
    public static final int IN_IGNORED = 0x8000;
    public static final int IN_MASK_ADD = 0x20000000;
    public static final int IN_ISDIR = 0x40000000;
    public static final int IN_NONBLOCK = O_NONBLOCK;
    public static final int IN_CLOEXEC = O_CLOEXEC;

    public static final int F_GETFD = 1;
    public static final int F_GETFL = 3;
    public static final int FD_CLOEXEC = 1;
    public static final int F_GETPIPE_SZ = 1032;

    public static final long FIONREAD = 0x541B;
    public static final long TIOCOUTQ = 0x5411;

    public static final int SOL_SOCKET = 1;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_ACCEPTCONN = 30;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_INFO = 11;

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;

    public static final int SEEK_CUR = 1;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_NLINK = 0x4;
    public static final int STATX_INO = 0x100;
    public static final int STATX_SIZE = 0x200;
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFSOCK = 0140000;

    private static final MethodHandle EPOLL_CREATE1 = Native.errnoCall("epoll_create1", FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle EPOLL_CTL = Native.errnoCall("epoll_ctl",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    /** Null before glibc 2.35. A plain static final, not an Optional, so the JIT sees a constant handle. */
    private static final MethodHandle EPOLL_PWAIT2 = Native.optionalErrnoCall("epoll_pwait2",
        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER)).orElse(null);
    private static final MethodHandle EPOLL_WAIT = Native.errnoCall("epoll_wait",
        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle EVENTFD = Native.errnoCall("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle READ = Native.errnoCall("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle WRITE = Native.errnoCall("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle CLOSE = Native.errnoCall("close", FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle IOCTL = Native.errnoCall("ioctl",
        FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), Native.firstVariadicArg(2));
    private static final MethodHandle FCNTL = Native.errnoCall("fcntl",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), Native.firstVariadicArg(2));
    private static final MethodHandle STATX = Native.errnoCall("statx",
        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_POINTER));
    /** The "" path of statx(fd, "", AT_EMPTY_PATH): allocated once, never written. */
    private static final MemorySegment EMPTY_PATH = Arena.global().allocateFrom("");
    private static final MethodHandle LSEEK = Native.errnoCall("lseek", FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));
    private static final MethodHandle POLL = Native.errnoCall("poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    private static final MethodHandle GETSOCKOPT = Native.errnoCall("getsockopt",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle PIPE2 = Native.errnoCall("pipe2", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle SOCKETPAIR = Native.errnoCall("socketpair",
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    private static final MethodHandle SHUTDOWN = Native.errnoCall("shutdown", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle OPEN = Native.errnoCall("open",
        FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), Native.firstVariadicArg(2));
    private static final MethodHandle INOTIFY_INIT1 = Native.errnoCall("inotify_init1", FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle INOTIFY_ADD_WATCH = Native.errnoCall("inotify_add_watch",
        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle INOTIFY_RM_WATCH = Native.errnoCall("inotify_rm_watch",
        FunctionDescriptor.of(C_INT, C_INT, C_INT));

    // ---- descriptors --------------------------------------------------------------------

    /** close(2). */
    public static int close(int fd) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fcntl(2) with an int argument. */
    public static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) FCNTL.invokeExact(st, fd, cmd, arg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** open(2); the path is encoded as UTF-8. */
    public static int open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) OPEN.invokeExact(st, a.allocateFrom(path), flags, mode), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pipe2(2): fds[0] is the read end, fds[1] the write end; returns 0 or -errno. */
    public static int pipe2(int[] fds, int flags) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        try {
            MemorySegment st = sc.callState;
            return copyFdPair((int) Native.result((int) PIPE2.invokeExact(st, s, flags), st), s, fds);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** After pipe2 or socketpair succeeded, copies the two fds the kernel wrote into {@code fds}. */
    private static int copyFdPair(int result, MemorySegment out, int[] fds) {
        if (result == 0) {
            fds[0] = out.get(C_INT, 0);
            fds[1] = out.get(C_INT, 4);
        }
        return result;
    }

    /** socketpair(2); returns 0 or -errno. */
    public static int socketpair(int domain, int type, int protocol, int[] fds) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        try {
            MemorySegment st = sc.callState;
            return copyFdPair((int) Native.result((int) SOCKETPAIR.invokeExact(st, domain, type, protocol, s), st), s, fds);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** shutdown(2). */
    public static int shutdown(int fd, int how) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) SHUTDOWN.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** read(2) into the thread's scratch buffer, discarding the bytes; returns the count or -errno. */
    public static long readDiscard(int fd, int max) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        try {
            MemorySegment st = sc.callState;
            return Native.result((long) READ.invokeExact(st, fd, s, Math.min(max, Scratch.SIZE)), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** read(2) into a Java array (through scratch, at most 512 bytes a call); count or -errno. */
    public static long read(int fd, byte[] dst, int off, int len) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        int n = (int) Math.min(len, Scratch.SIZE);
        try {
            MemorySegment st = sc.callState;
            long r = Native.result((long) READ.invokeExact(st, fd, s, (long) n), st);
            if (r > 0) MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, dst, off, (int) r);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** write(2) from a Java array (through scratch, at most 512 bytes a call); count or -errno. */
    public static long write(int fd, byte[] src, int off, int len) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        int n = (int) Math.min(len, Scratch.SIZE);
        MemorySegment.copy(src, off, s, ValueLayout.JAVA_BYTE, 0, n);
        try {
            MemorySegment st = sc.callState;
            return Native.result((long) WRITE.invokeExact(st, fd, s, (long) n), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Reads one 8-byte counter (eventfd); the value, or -errno. */
    public static long readCounter(int fd) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        try {
            MemorySegment st = sc.callState;
            long r = Native.result((long) READ.invokeExact(st, fd, s, 8L), st);
            return r == 8 ? s.get(C_LONG, 0) : r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Writes one 8-byte counter increment (eventfd); 8, or -errno. */
    public static long writeCounter(int fd, long value) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        s.set(C_LONG, 0, value);
        try {
            MemorySegment st = sc.callState;
            return Native.result((long) WRITE.invokeExact(st, fd, s, 8L), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** lseek(2). */
    public static long lseek(int fd, long offset, int whence) {
        try {
            MemorySegment st = Native.callState();
            return Native.result((long) LSEEK.invokeExact(st, fd, offset, whence), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** ioctl(2) with an int out-parameter (FIONREAD, TIOCOUTQ); the value, or -errno. */
    public static int ioctlInt(int fd, long request) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        try {
            MemorySegment st = sc.callState;
            int r = (int) Native.result((int) IOCTL.invokeExact(st, fd, request, s), st);
            return r < 0 ? r : s.get(C_INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** getsockopt(2) of an int option; the value, or -errno. */
    public static int getsockoptInt(int fd, int level, int name) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        s.set(C_INT, 8, 4);
        try {
            MemorySegment st = sc.callState;
            int r = (int) Native.result((int) GETSOCKOPT.invokeExact(st, fd, level, name, s, s.asSlice(8)), st);
            return r < 0 ? r : s.get(C_INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The accept-queue length of a listening TCP socket (tcp_info.tcpi_unacked, which Linux
     * fills with the backlog in LISTEN state), or -errno.
     */
    public static int tcpListenBacklog(int fd) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        s.set(C_INT, 256, 232);
        try {
            MemorySegment st = sc.callState;
            int r = (int) Native.result((int) GETSOCKOPT.invokeExact(st, fd, IPPROTO_TCP, TCP_INFO, s, s.asSlice(256)), st);
            // struct tcp_info: 8 u8 fields, then u32 rto, ato, snd_mss, rcv_mss, unacked (offset 24).
            return r < 0 ? r : s.get(C_INT, 24);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * poll(2) on one fd with a zero timeout: the current readiness ({@code POLL*} bits), 0 when
     * nothing is ready, or -errno. POLLNVAL marks a closed fd.
     */
    public static int pollNow(int fd, int events) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        s.set(C_INT, 0, fd);
        s.set(Native.C_SHORT, 4, (short) events);
        s.set(Native.C_SHORT, 6, (short) 0);
        try {
            MemorySegment st = sc.callState;
            int r = (int) Native.result((int) POLL.invokeExact(st, s, 1L, 0), st);
            return r < 0 ? r : (s.get(Native.C_SHORT, 6) & 0xffff);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** statx(2) of an open fd: type, nlink, size and inode; null result fields on error (see {@link FileStat}). */
    public static int fstat(int fd, FileStat out) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        try {
            MemorySegment st = sc.callState;
            int r = (int) Native.result((int) STATX.invokeExact(st, fd, EMPTY_PATH, AT_EMPTY_PATH,
                STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_SIZE | STATX_INO, s), st);
            if (r == 0) {
                // struct statx is the same on every architecture: nlink @16, mode @28, ino @32, size @40,
                // dev_major @136, dev_minor @140.
                out.nlink = s.get(C_INT, 16);
                out.mode = s.get(Native.C_SHORT, 28) & 0xffff;
                out.inode = s.get(C_LONG, 32);
                out.size = s.get(C_LONG, 40);
                out.device = ((long) s.get(C_INT, 136) << 32) | (s.get(C_INT, 140) & 0xffffffffL);
            }
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The fields of statx the backend uses. */
    public static final class FileStat {
        public int mode;
        public int nlink;
        public long size;
        public long inode;
        public long device;

        public boolean isRegular() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        public boolean isFifo() {
            return (mode & S_IFMT) == S_IFIFO;
        }

        public boolean isSocket() {
            return (mode & S_IFMT) == S_IFSOCK;
        }
    }

    // ---- epoll, eventfd ---------------------------------------------------------------

    /** epoll_create1(EPOLL_CLOEXEC). */
    public static int epollCreate() {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) EPOLL_CREATE1.invokeExact(st, O_CLOEXEC), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** epoll_ctl(2) with {@code data} as the event's 64-bit user data. */
    public static int epollCtl(int epfd, int op, int fd, int events, long data) {
        Scratch sc = Scratch.current();
        MemorySegment s = sc.buffer;
        EpollEvents.write(s, 0, events, data);
        try {
            MemorySegment st = sc.callState;
            return (int) Native.result((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, s), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Waits for epoll events. {@code timeoutNanos} 0 polls, negative waits forever; with
     * epoll_pwait2 (glibc 2.35+) the wait has nanosecond resolution, otherwise it is rounded
     * up to milliseconds. Returns the count or -errno (EINTR included).
     */
    public static int epollWait(int epfd, EpollEvents events, long timeoutNanos) {
        try {
            Scratch sc = Scratch.current();
            MemorySegment st = sc.callState;
            if (EPOLL_PWAIT2 != null && timeoutNanos > 0) {
                MemorySegment ts = sc.buffer;
                ts.set(C_LONG, 0, timeoutNanos / 1_000_000_000L);
                ts.set(C_LONG, 8, timeoutNanos % 1_000_000_000L);
                return (int) Native.result((int) EPOLL_PWAIT2.invokeExact(st, epfd, events.segment, events.capacity,
                    ts, MemorySegment.NULL), st);
            }
            int ms = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
            return (int) Native.result((int) EPOLL_WAIT.invokeExact(st, epfd, events.segment, events.capacity, ms), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** eventfd(2) with EFD_CLOEXEC | EFD_NONBLOCK. */
    public static int eventfd() {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC | EFD_NONBLOCK), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- inotify ------------------------------------------------------------------------

    /** inotify_init1(IN_CLOEXEC | IN_NONBLOCK). */
    public static int inotifyInit() {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) INOTIFY_INIT1.invokeExact(st, IN_CLOEXEC | IN_NONBLOCK), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** inotify_add_watch(2): the watch descriptor, or -errno. */
    public static int inotifyAddWatch(int ifd, String path, int mask) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) INOTIFY_ADD_WATCH.invokeExact(st, ifd, a.allocateFrom(path), mask), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** inotify_rm_watch(2). */
    public static int inotifyRmWatch(int ifd, int wd) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) INOTIFY_RM_WATCH.invokeExact(st, ifd, wd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Reads pending inotify records into {@code buf}; the byte count, 0 when none, or -errno. */
    public static int inotifyRead(int ifd, InotifyBuffer buf) {
        try {
            MemorySegment st = Native.callState();
            long r = Native.result((long) READ.invokeExact(st, ifd, buf.segment, buf.segment.byteSize()), st);
            buf.limit = r > 0 ? (int) r : 0;
            buf.rewind();
            return (int) r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- appended: descriptor duplication ---------------------------------------------

    private static final MethodHandle DUP3 = Native.errnoCall("dup3", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));

    /** dup3(2): makes {@code newfd} refer to {@code oldfd}'s file (closing what it held); newfd or -errno. */
    public static int dup3(int oldfd, int newfd, int flags) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) DUP3.invokeExact(st, oldfd, newfd, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
