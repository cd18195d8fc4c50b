package io.reactivekq.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A small per-thread native buffer for out-parameters of single calls (ioctl results,
 * statx, pollfd, timespec). Its auto arena belongs to the thread; nothing keeps a pointer
 * into it past the call that filled it.
 */
final class Scratch {
    private Scratch() {}

    static final long SIZE = 512;

    private static final ThreadLocal<MemorySegment> BUFFER =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SIZE, 16));

    static MemorySegment get() {
        return BUFFER.get();
    }
}
