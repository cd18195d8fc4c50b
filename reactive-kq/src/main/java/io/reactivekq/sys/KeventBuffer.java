package io.reactivekq.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A native array of {@code struct kevent} in one of the two layouts the native backend
 * speaks: macOS {@code struct kevent64_s} (48 bytes, two extension words) and FreeBSD 12+
 * {@code struct kevent} (64 bytes, four extension words, of which the first two are used).
 * Values are stored as the OS numbers them; translation is the backend's job.
 */
public final class KeventBuffer {

    /** The struct layouts. */
    public enum Layout {
        /** macOS kevent64_s: ident u64, filter i16, flags u16, fflags u32, data i64, udata u64, ext[2]. */
        MACOS_KEVENT64(48),
        /** FreeBSD kevent: ident uintptr, filter short, flags u_short, fflags u_int, data i64, udata ptr, ext[4]. */
        FREEBSD_KEVENT(64);

        final long size;

        Layout(long size) {
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    // Both layouts share the offsets of their first six fields and of ext[0], ext[1].
    private static final long IDENT = 0;
    private static final long FILTER = 8;
    private static final long FLAGS = 10;
    private static final long FFLAGS = 12;
    private static final long DATA = 16;
    private static final long UDATA = 24;
    private static final long EXT0 = 32;
    private static final long EXT1 = 40;

    final Layout layout;
    final MemorySegment segment;
    final int capacity;

    public KeventBuffer(NativeArena arena, Layout layout, int capacity) {
        this.layout = layout;
        this.capacity = capacity;
        this.segment = arena.allocate(Math.max(1, capacity) * layout.size, 8);
    }

    public int capacity() {
        return capacity;
    }

    public Layout layout() {
        return layout;
    }

    /** Writes entry {@code i}; extension words beyond the second are zeroed. */
    public void set(int i, long ident, short filter, int flags, int fflags, long data, long udata, long ext0, long ext1) {
        long o = i * layout.size;
        segment.asSlice(o, layout.size).fill((byte) 0);
        segment.set(ValueLayout.JAVA_LONG, o + IDENT, ident);
        segment.set(ValueLayout.JAVA_SHORT, o + FILTER, filter);
        segment.set(ValueLayout.JAVA_SHORT, o + FLAGS, (short) flags);
        segment.set(ValueLayout.JAVA_INT, o + FFLAGS, fflags);
        segment.set(ValueLayout.JAVA_LONG, o + DATA, data);
        segment.set(ValueLayout.JAVA_LONG, o + UDATA, udata);
        segment.set(ValueLayout.JAVA_LONG, o + EXT0, ext0);
        segment.set(ValueLayout.JAVA_LONG, o + EXT1, ext1);
    }

    public long ident(int i) {
        return segment.get(ValueLayout.JAVA_LONG, i * layout.size + IDENT);
    }

    public short filter(int i) {
        return segment.get(ValueLayout.JAVA_SHORT, i * layout.size + FILTER);
    }

    /** The flags as an unsigned 16-bit value. */
    public int flags(int i) {
        return segment.get(ValueLayout.JAVA_SHORT, i * layout.size + FLAGS) & 0xffff;
    }

    public int fflags(int i) {
        return segment.get(ValueLayout.JAVA_INT, i * layout.size + FFLAGS);
    }

    public long data(int i) {
        return segment.get(ValueLayout.JAVA_LONG, i * layout.size + DATA);
    }

    public long udata(int i) {
        return segment.get(ValueLayout.JAVA_LONG, i * layout.size + UDATA);
    }

    public long ext0(int i) {
        return segment.get(ValueLayout.JAVA_LONG, i * layout.size + EXT0);
    }

    public long ext1(int i) {
        return segment.get(ValueLayout.JAVA_LONG, i * layout.size + EXT1);
    }

    /** The raw bytes of entry {@code i}, for layout tests. */
    public byte[] bytes(int i) {
        return segment.asSlice(i * layout.size, layout.size).toArray(ValueLayout.JAVA_BYTE);
    }
}
