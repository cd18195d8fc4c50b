package io.reactivekq.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A native array of {@code struct epoll_event} for epoll_wait. The struct is packed to 12
 * bytes on x86_64 and padded to 16 elsewhere; this class hides which.
 */
public final class EpollEvents {
    static final long STRIDE = Native.X86_64 ? 12 : 16;
    private static final long DATA_OFFSET = Native.X86_64 ? 4 : 8;
    private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;

    final MemorySegment segment;
    final int capacity;

    public EpollEvents(NativeArena arena, int capacity) {
        this.capacity = capacity;
        this.segment = arena.allocate(STRIDE * capacity, 8);
    }

    public int capacity() {
        return capacity;
    }

    /** The {@code EPOLL*} bits of entry {@code i}. */
    public int events(int i) {
        return segment.get(ValueLayout.JAVA_INT_UNALIGNED, i * STRIDE);
    }

    /** The user data of entry {@code i}. */
    public long data(int i) {
        return segment.get(DATA, i * STRIDE + DATA_OFFSET);
    }

    static void write(MemorySegment s, long offset, int events, long data) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, offset, events);
        s.set(DATA, offset + DATA_OFFSET, data);
    }
}
