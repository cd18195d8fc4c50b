package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;

/**
 * One registration, identified by (ident, filter) within its kqueue: the status machine of
 * the BSD kernel's knote plus the filter's saved and pending state.
 *
 * <p>Guarded by the owning {@link LinuxKQueue}'s lock. Sealed: the one subclass carries a
 * timer schedule, for the filters that need one.
 *
 * <p>Every registration is one of these, so the fields are kept narrow: 80 bytes with
 * compressed oops (12-byte header, four longs, three ints, a short and a char, five
 * references). The {@link FilterOps} reference stays: looking the ops up from the filter
 * number instead costs the scan about a nanosecond a knote (KnoteCostBench).
 */
sealed class Knote permits ScheduledKnote {
    // Status bits. They live in the flags field beside the EV_* flags, in positions no kept or
    // output flag uses: 0x1-0x8 are EV_ADD, EV_DELETE, EV_ENABLE and EV_DISABLE, which are
    // input-only and never stored; 0x100-0x2000 are unused by every EV_* flag.

    /** Activity seen and not yet delivered (or, level-triggered, still holding). */
    static final int ACTIVE = 0x1;
    /** On the pending queue. */
    static final int QUEUED = 0x2;
    /** Not returned until EV_ENABLE; activity is remembered in ACTIVE. */
    static final int DISABLED = 0x4;
    /** Dropped: detached and removed from the table; late source callbacks are ignored. */
    static final int DROPPED = 0x8;
    /** EVFILT_USER: NOTE_TRIGGER seen and not yet cleared (a status bit, not a field: every knote pays for fields). */
    static final int USER_TRIGGERED = 0x100;
    static final int STATUS_BITS = ACTIVE | QUEUED | DISABLED | DROPPED | USER_TRIGGERED;

    /** Behaviour flags kept from the registration (EV_ONESHOT, EV_CLEAR, EV_DISPATCH, EV_RECEIPT). */
    static final int KEPT_FLAGS = Ev.ONESHOT | Ev.CLEAR | Ev.DISPATCH | Ev.RECEIPT;
    /** Output-only flags a filter raises (EV_EOF; EV_ERROR is the other output-only bit). */
    static final int OUT_FLAGS = Ev.EOF | Ev.ERROR;

    /** {@link #freshCall} of a knote not evaluated since the call counter last wrapped; never a call number. */
    static final int NOT_FRESH = 0;

    final long ident;
    final short filter;
    final FilterOps ops;

    /**
     * The {@link #KEPT_FLAGS} of the registration (and EV_CLEAR or EV_ONESHOT a filter
     * imposes), the {@link #OUT_FLAGS} the filter raised, and the status bits above: one
     * 16-bit word instead of three ints, which is what brings a knote to 80 bytes. Every
     * EV_* flag fits in 16 bits (EV_EOF is 0x8000). A char, not a short: it widens to int
     * without sign extension, so EV_EOF comes back as 0x8000, not 0xFFFF8000.
     */
    char flags;
    /** Saved input: what the registration asked for. */
    int sfflags;
    long sdata;
    long udata;
    /** The extension words, null while both are 0 (nearly always): most knotes pay one reference. */
    private Ext ext;
    /** Pending output, as the filter computed it. */
    int fflags;
    long data;
    /**
     * The kevent call in which the filter last evaluated this knote as active. An int, not a
     * long: the kqueue's call counter is an int that skips {@link #NOT_FRESH} and, when it
     * wraps, resets every knote to NOT_FRESH, so a number from before the wrap cannot be
     * taken for the current call (see {@code LinuxKQueue.nextCall}).
     */
    int freshCall = NOT_FRESH;

    /** Filter-private link to the source (fd source, timer entry, watch...). */
    Object source;

    // Pending-queue links.
    Knote prev;
    Knote next;

    Knote(KEvent change, FilterOps ops) {
        this.ident = change.ident();
        this.filter = change.filter();
        this.ops = ops;
        this.flags = (char) (change.flags() & KEPT_FLAGS);
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

    /** Whether any of {@code bits} (status bits or EV_* flags) is set. */
    boolean has(int bits) {
        return (flags & bits) != 0;
    }

    /** The flags of a delivered event: the kept and the output flags, without the status bits. */
    int eventFlags() {
        return flags & (KEPT_FLAGS | OUT_FLAGS);
    }

    /** The event as delivered with the knote's pending output. */
    KEvent toEvent() {
        return toEvent(null);
    }

    /** As {@link #toEvent()}, but {@code last} itself when it is that event (see {@link KEvent#reusing}). */
    KEvent toEvent(KEvent last) {
        return KEvent.reusing(last, ident, filter, eventFlags(), fflags, data, udata, ext0(), ext1());
    }

    @Override
    public String toString() {
        return "Knote{" + toEvent() + ", status=0x" + Integer.toHexString(flags & STATUS_BITS) + "}";
    }
}
