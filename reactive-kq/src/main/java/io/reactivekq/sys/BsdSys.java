package io.reactivekq.sys;

import static io.reactivekq.sys.Native.C_INT;
import static io.reactivekq.sys.Native.C_LONG;
import static io.reactivekq.sys.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * kqueue(2) and kevent(2) of macOS and FreeBSD, each returning its result or {@code -errno}.
 * The handles are bound on first use, so this class loads (and its layouts can be tested)
 * on Linux, where libc has no such symbols.
 */
public final class BsdSys {
    private BsdSys() {}

    /** Bound lazily: the symbols exist only on the BSDs. */
    private static final class Calls {
        static final MethodHandle KQUEUE = Native.errnoCall("kqueue", FunctionDescriptor.of(C_INT));
        static final MethodHandle CLOSE = Native.errnoCall("close", FunctionDescriptor.of(C_INT, C_INT));
    }

    private static final class MacCalls {
        // int kevent64(int kq, const struct kevent64_s *changes, int nchanges, struct kevent64_s *events,
        //              int nevents, unsigned int flags, const struct timespec *timeout)
        static final MethodHandle KEVENT64 = Native.errnoCall("kevent64",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_INT, C_POINTER));
    }

    private static final class FreeBsdCalls {
        // int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
        //            const struct timespec *timeout)
        static final MethodHandle KEVENT = Native.errnoCall("kevent",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER));
    }

    /** kqueue(2); the fd is close-on-exec on both systems (kqueues are not inherited across fork). */
    public static int kqueue() {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) Calls.KQUEUE.invokeExact(st), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int close(int fd) {
        try {
            MemorySegment st = Native.callState();
            return (int) Native.result((int) Calls.CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * kevent(2) / kevent64(2) over two buffers of the same layout; {@code timeoutNanos}
     * negative waits forever. The count, or -errno (EINTR included).
     */
    public static int kevent(int kq, KeventBuffer changes, int nchanges, KeventBuffer events, int nevents,
                             long timeoutNanos) {
        MemorySegment ts = MemorySegment.NULL;
        if (timeoutNanos >= 0) {
            ts = Scratch.get();
            ts.set(C_LONG, 0, timeoutNanos / 1_000_000_000L);
            ts.set(C_LONG, 8, timeoutNanos % 1_000_000_000L);
        }
        try {
            MemorySegment st = Native.callState();
            int r = changes.layout == KeventBuffer.Layout.MACOS_KEVENT64
                ? (int) MacCalls.KEVENT64.invokeExact(st, kq, changes.segment, nchanges, events.segment, nevents, 0, ts)
                : (int) FreeBsdCalls.KEVENT.invokeExact(st, kq, changes.segment, nchanges, events.segment, nevents, ts);
            return (int) Native.result(r, st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
