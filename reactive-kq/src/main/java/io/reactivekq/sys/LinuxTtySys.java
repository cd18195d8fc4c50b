package io.reactivekq.sys;

import static io.reactivekq.sys.Native.C_INT;
import static io.reactivekq.sys.Native.C_LONG;
import static io.reactivekq.sys.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Terminal calls: opening a pseudo-terminal pair. A terminal is the one kind of file Linux can
 * take away from the processes that hold it open (a hang-up, which vhangup(2) and the close of
 * a pty's master side perform) - the counterpart of BSD's revoke(2) behind NOTE_REVOKE.
 */
public final class LinuxTtySys {
    private LinuxTtySys() {}

    private static final long TIOCSPTLCK = 0x40045431L;
    private static final long TIOCGPTPEER = 0x5441L;
    private static final int O_NOCTTY = 0400;
    public static final int F_DUPFD_CLOEXEC = 1030;

    private static final MethodHandle IOCTL_PTR = Native.errnoCall("ioctl",
        FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), Native.firstVariadicArg(2));
    private static final MethodHandle IOCTL_INT = Native.errnoCall("ioctl",
        FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT), Native.firstVariadicArg(2));

    /** A new pty: {@code fds[0]} the master, {@code fds[1]} the terminal (slave); both close-on-exec. 0 or -errno. */
    public static int openPty(int[] fds) {
        int master = LinuxSys.open("/dev/ptmx", LinuxSys.O_RDWR | O_NOCTTY | LinuxSys.O_CLOEXEC, 0);
        if (master < 0) return master;
        MemorySegment s = Scratch.get();
        s.set(C_INT, 0, 0);
        try {
            MemorySegment st = Native.callState();
            int r = (int) Native.result((int) IOCTL_PTR.invokeExact(st, master, TIOCSPTLCK, s), st);
            if (r == 0) {
                r = (int) Native.result((int) IOCTL_INT.invokeExact(st, master, TIOCGPTPEER,
                    LinuxSys.O_RDWR | O_NOCTTY | LinuxSys.O_CLOEXEC), st);
            }
            if (r < 0) {
                LinuxSys.close(master);
                return r;
            }
            fds[0] = master;
            fds[1] = r;
            return 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
