package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;

/**
 * One registration, identified by (ident, filter) within its kqueue: the status machine of
 * the BSD kernel's knote plus the filter's saved and pending state.
 *
 * <p>Guarded by the owning {@link LinuxKQueue}'s lock.
 */
final class Knote {
    /** Activity seen and not yet delivered (or, level-triggered, still holding). */
    static final int ACTIVE = 0x1;
    /** On the pending queue. */
    static final int QUEUED = 0x2;
    /** Not returned until EV_ENABLE; activity is remembered in ACTIVE. */
    static final int DISABLED = 0x4;
    /** Dropped: detached and removed from the table; late source callbacks are ignored. */
    static final int DROPPED = 0x8;

    /** Behaviour flags kept from the registration (EV_ONESHOT, EV_CLEAR, EV_DISPATCH, EV_RECEIPT). */
    static final int KEPT_FLAGS = Ev.ONESHOT | Ev.CLEAR | Ev.DISPATCH | Ev.RECEIPT;

    final long ident;
    final short filter;
    final FilterOps ops;

    int flags;
    int status;
    /** Saved input: what the registration asked for. */
    int sfflags;
    long sdata;
    long udata;
    long ext0;
    long ext1;
    /** Pending output, as the filter computed it. */
    int fflags;
    long data;
    /** Output-only flags the filter raised (EV_EOF). */
    int outFlags;
    /** The kevent call in which the filter last evaluated this knote as active. */
    long freshCall = -1;

    /** Filter-private link to the source (fd source, timer entry, watch...). */
    Object source;
    /** Filter-private word (user: triggered; read: listening socket...). */
    long hook;

    // Pending-queue links.
    Knote prev;
    Knote next;

    Knote(KEvent change, FilterOps ops) {
        this.ident = change.ident();
        this.filter = change.filter();
        this.ops = ops;
        this.flags = change.flags() & KEPT_FLAGS;
        this.sfflags = change.fflags();
        this.sdata = change.data();
        this.udata = change.udata();
        this.ext0 = change.ext0();
        this.ext1 = change.ext1();
    }

    boolean has(int statusBits) {
        return (status & statusBits) != 0;
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The event as delivered with the knote's pending output. */
    KEvent toEvent() {
        return new KEvent(ident, filter, flags | outFlags, fflags, data, udata, ext0, ext1);
    }

    @Override
    public String toString() {
        return "Knote{" + toEvent() + ", status=0x" + Integer.toHexString(status) + "}";
    }
}
