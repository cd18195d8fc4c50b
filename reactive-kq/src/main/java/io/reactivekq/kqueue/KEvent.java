package io.reactivekq.kqueue;

/**
 * One kevent: a change going in or an event coming out.
 *
 * <p>Fields follow {@code struct kevent}: {@code ident} (fd, pid, signal number or any id),
 * {@code filter} ({@link EvFilt}), {@code flags} ({@link Ev}), {@code fflags} ({@link Note}),
 * {@code data} (filter-specific; errno with {@code EV_ERROR}), {@code udata} (opaque to the
 * kernel), and two extension words: {@code ext0}/{@code ext1} (AIO error and return value;
 * timer leeway with {@code NOTE_LEEWAY}).
 */
public record KEvent(long ident, short filter, int flags, int fflags, long data, long udata, long ext0, long ext1) {

    /** A change or event with no fflags, data or udata. */
    public static KEvent of(long ident, short filter, int flags) {
        return new KEvent(ident, filter, flags, 0, 0, 0, 0, 0);
    }

    /** A change or event without extension words. */
    public static KEvent of(long ident, short filter, int flags, int fflags, long data, long udata) {
        return new KEvent(ident, filter, flags, fflags, data, udata, 0, 0);
    }

    /**
     * An event with exactly these fields: {@code last} itself when it has them, else a new one.
     * Events are immutable, so a source that delivers the same event again and again (a
     * readiness edge, an unchanged count) can hand out one instance instead of allocating per
     * delivery. Callers compare events with {@code equals}, never by identity.
     */
    public static KEvent reusing(KEvent last, long ident, short filter, int flags, int fflags, long data, long udata,
                                 long ext0, long ext1) {
        if (last != null && last.ident == ident && last.filter == filter && last.flags == flags
            && last.fflags == fflags && last.data == data && last.udata == udata && last.ext0 == ext0
            && last.ext1 == ext1) {
            return last;
        }
        return new KEvent(ident, filter, flags, fflags, data, udata, ext0, ext1);
    }

    /** True when any of {@code flag} is set in {@link #flags()}. */
    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** True when any of {@code note} is set in {@link #fflags()}. */
    public boolean hasNote(int note) {
        return (fflags & note) != 0;
    }

    /** True for an {@code EV_ERROR} event that reports a failure (data is a non-zero errno). */
    public boolean isError() {
        return has(Ev.ERROR) && data != 0;
    }

    /** This event with other flags. */
    public KEvent withFlags(int newFlags) {
        return new KEvent(ident, filter, newFlags, fflags, data, udata, ext0, ext1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append("KEvent{ident=").append(ident)
            .append(", filter=").append(EvFilt.name(filter))
            .append(", flags=").append(Ev.names(flags))
            .append(", fflags=").append(Note.names(filter, fflags))
            .append(", data=");
        if (has(Ev.ERROR)) {
            sb.append(data == 0 ? "0" : Errno.nameOf((int) data) + "(" + data + ")");
        } else {
            sb.append(data);
        }
        if (udata != 0) sb.append(", udata=0x").append(Long.toHexString(udata));
        if (ext0 != 0 || ext1 != 0) sb.append(", ext=[").append(ext0).append(", ").append(ext1).append(']');
        return sb.append('}').toString();
    }
}
