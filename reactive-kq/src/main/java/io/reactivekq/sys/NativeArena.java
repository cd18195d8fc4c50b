package io.reactivekq.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Owner of a backend's native buffers. One per kqueue; closing it frees every buffer it
 * allocated at once. Shared so that any thread calling {@code kevent} may use the buffers.
 */
public final class NativeArena implements AutoCloseable {
    private final Arena arena = Arena.ofShared();

    MemorySegment allocate(long bytes, long align) {
        return arena.allocate(bytes, align);
    }

    /** False once closed: every buffer it allocated is freed. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    @Override
    public void close() {
        arena.close();
    }
}
