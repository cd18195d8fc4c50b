package io.reactivekq.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A buffer of {@code struct inotify_event} records as read(2) returns them, with a cursor:
 * {@code while (buf.next()) { buf.wd(); buf.mask(); ... }}.
 */
public final class InotifyBuffer {
    /** Room for many records; one read never returns a partial record. */
    public static final int SIZE = 64 * 1024;
    private static final int HEADER = 16; // wd, mask, cookie, len

    final MemorySegment segment;
    int limit;
    private int next;
    private int current = -1;

    public InotifyBuffer(NativeArena arena) {
        this.segment = arena.allocate(SIZE, 8);
    }

    /** Rewinds to the first record of the last read. */
    public void rewind() {
        next = 0;
        current = -1;
    }

    /** Advances to the next record; false when the last read is used up. */
    public boolean next() {
        if (next + HEADER > limit) return false;
        current = next;
        int len = segment.get(ValueLayout.JAVA_INT, current + 12);
        next = current + HEADER + len;
        return true;
    }

    public int wd() {
        return segment.get(ValueLayout.JAVA_INT, current);
    }

    public int mask() {
        return segment.get(ValueLayout.JAVA_INT, current + 4);
    }

    public int cookie() {
        return segment.get(ValueLayout.JAVA_INT, current + 8);
    }

    /** The entry name of a directory watch's record, or "" for the watched object itself. */
    public String name() {
        int len = segment.get(ValueLayout.JAVA_INT, current + 12);
        if (len == 0) return "";
        return segment.asSlice(current + HEADER, len).getString(0);
    }
}
