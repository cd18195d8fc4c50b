package io.reactivekq.poller;

/**
 * What one subscriber registers: a knote's (filter, ident) plus the fflags it wants, the
 * filter data and leeway, and the behaviour flags it may choose ({@code EV_ONESHOT},
 * {@code EV_CLEAR}). The poller adds the flags of its own protocol (EV_ADD, EV_DISPATCH,
 * EV_DISABLE, EV_ENABLE, EV_RECEIPT).
 *
 * <p>Two kinds: a {@link Spec} for every filter, and a user-event handle's {@link UserSource},
 * which is its own interest (so a handle costs no extra object for it).
 */
public sealed interface Interest permits Interest.Spec, UserSource {
    short filter();

    long ident();

    int flags();

    int fflags();

    long data();

    long ext1();

    /** The counting source behind a user-event handle, else null. */
    UserSource user();

    /** Run once the registration is gone from the kqueue (closes an fd it opened), else null. */
    Runnable release();

    /** An interest with nothing to release. */
    static Interest of(short filter, long ident, int flags, int fflags, long data, long ext1) {
        return new Spec(filter, ident, flags, fflags, data, ext1, null);
    }

    /** An interest whose registration opened something {@code release} gives back. */
    static Interest of(short filter, long ident, int flags, int fflags, long data, long ext1, Runnable release) {
        return new Spec(filter, ident, flags, fflags, data, ext1, release);
    }

    /** The interest of any filter but a user-event handle's. */
    record Spec(short filter, long ident, int flags, int fflags, long data, long ext1, Runnable release)
        implements Interest {
        @Override
        public UserSource user() {
            return null;
        }
    }
}
