package io.reactivekq.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The calling thread's native scratch: a small buffer for out-parameters of single calls
 * (ioctl results, statx, pollfd, timespec) and the errno slot of the call-state capture.
 * Both live in one per-thread object, so a wrapper needs a single thread-local lookup per
 * call. Its auto arena belongs to the thread; nothing keeps a pointer into the buffer past
 * the call that filled it.
 */
final class Scratch {
    static final long SIZE = 512;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** Out-parameter space, {@link #SIZE} bytes, 16-byte aligned. */
    final MemorySegment buffer;
    /** Where errno-capturing handles store errno (see {@link Native#callState}). */
    final MemorySegment callState;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        buffer = arena.allocate(SIZE, 16);
        callState = arena.allocate(Native.CALL_STATE);
    }

    /** The calling thread's scratch. */
    static Scratch current() {
        return CURRENT.get();
    }

    /** The calling thread's buffer. */
    static MemorySegment get() {
        return CURRENT.get().buffer;
    }
}
