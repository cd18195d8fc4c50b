package io.reactivekq.poller;

/**
 * What one subscriber registers: a knote's (filter, ident) plus the fflags it wants, the
 * filter data and leeway, and the behaviour flags it may choose ({@code EV_ONESHOT},
 * {@code EV_CLEAR}). The poller adds the flags of its own protocol (EV_ADD, EV_DISPATCH,
 * EV_DISABLE, EV_ENABLE, EV_RECEIPT).
 *
 * @param user    the counting source behind a user-event handle, else null
 * @param release run once the registration is gone from the kqueue (closes an fd the
 *                registration opened), else null
 */
public record Interest(short filter, long ident, int flags, int fflags, long data, long ext1,
                       UserSource user, Runnable release) {

    /** An interest with nothing to release and no user source. */
    public static Interest of(short filter, long ident, int flags, int fflags, long data, long ext1) {
        return new Interest(filter, ident, flags, fflags, data, ext1, null, null);
    }
}
