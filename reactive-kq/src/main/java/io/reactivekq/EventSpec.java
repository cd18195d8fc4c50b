package io.reactivekq;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;

/**
 * A registration for {@link KqPoller#events(EventSpec)}: any filter, its ident, the fflags
 * and data kqueue(2) defines for it, and the behaviour flags a subscriber may choose
 * ({@code EV_ONESHOT}, {@code EV_CLEAR}). The poller adds EV_ADD, EV_DISPATCH, EV_ENABLE,
 * EV_DISABLE and EV_RECEIPT itself; {@code ext1} is the timer leeway with {@code NOTE_LEEWAY}.
 */
public record EventSpec(short filter, long ident, int flags, int fflags, long data, long ext1) {

    /** The flags a spec may carry. */
    public static final int ALLOWED_FLAGS = Ev.ONESHOT | Ev.CLEAR;

    /** (filter, ident) with no flags, fflags or data. */
    public static EventSpec of(short filter, long ident) {
        return new EventSpec(filter, ident, 0, 0, 0, 0);
    }

    public EventSpec withFlags(int newFlags) {
        return new EventSpec(filter, ident, newFlags, fflags, data, ext1);
    }

    public EventSpec withFflags(int newFflags) {
        return new EventSpec(filter, ident, flags, newFflags, data, ext1);
    }

    public EventSpec withData(long newData) {
        return new EventSpec(filter, ident, flags, fflags, newData, ext1);
    }

    public EventSpec withExt1(long newExt1) {
        return new EventSpec(filter, ident, flags, fflags, data, newExt1);
    }

    @Override
    public String toString() {
        return EvFilt.name(filter) + "(ident=" + ident + ", flags=" + Ev.names(flags) + ", fflags=0x"
            + Integer.toHexString(fflags) + ", data=" + data + (ext1 != 0 ? ", ext1=" + ext1 : "") + ")";
    }
}
