package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;

/**
 * One registration, identified by (ident, filter) within its kqueue: the status machine of
 * the BSD kernel's knote plus the filter's saved and pending state.
 *
 * <p>Guarded by the owning {@link LinuxKQueue}'s lock. Sealed: the one subclass carries a
 * timer schedule, for the filters that need one.
 */
sealed class Knote permits ScheduledKnote {
    /** Activity seen and not yet delivered (or, level-triggered, still holding). */
    static final int ACTIVE = 0x1;
    /** On the pending queue. */
    static final int QUEUED = 0x2;
    /** Not returned until EV_ENABLE; activity is remembered in ACTIVE. */
    static final int DISABLED = 0x4;
    /** Dropped: detached and removed from the table; late source callbacks are ignored. */
    static final int DROPPED = 0x8;
    /** EVFILT_USER: NOTE_TRIGGER seen and not yet cleared (a status bit, not a field: every knote pays for fields). */
    static final int USER_TRIGGERED = 0x10;

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
    /** The extension words, null while both are 0 (nearly always): most knotes pay one reference. */
    private Ext ext;
    /** Pending output, as the filter computed it. */
    int fflags;
    long data;
    /** Output-only flags the filter raised (EV_EOF). */
    int outFlags;
    /** The kevent call in which the filter last evaluated this knote as active. */
    long freshCall = -1;

    /** Filter-private link to the source (fd source, timer entry, watch...). */
    Object source;

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
        setExt(change.ext0(), change.ext1());
    }

    /** Extension words held out of line. */
    private record Ext(long ext0, long ext1) {}

    long ext0() {
        return ext == null ? 0 : ext.ext0;
    }

    long ext1() {
        return ext == null ? 0 : ext.ext1;
    }

    void setExt(long ext0, long ext1) {
        ext = ext0 == 0 && ext1 == 0 ? null : new Ext(ext0, ext1);
    }

    boolean has(int statusBits) {
        return (status & statusBits) != 0;
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The event as delivered with the knote's pending output. */
    KEvent toEvent() {
        return new KEvent(ident, filter, flags | outFlags, fflags, data, udata, ext0(), ext1());
    }

    @Override
    public String toString() {
        return "Knote{" + toEvent() + ", status=0x" + Integer.toHexString(status) + "}";
    }
}
