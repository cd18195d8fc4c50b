package io.reactivekq.poller;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;

/**
 * One knote and the subscribers sharing it. The knote's registered fflags are the union of
 * theirs; it is armed while any of them has demand. The poller thread compares what the
 * subscribers want with what the kqueue was last told and emits at most one change per
 * loop turn, so every change for a knote in a turn coalesces into one changelist entry.
 *
 * <p>The first subscriber's {@link Tap} is itself the knote (a tap is a MuxNote), so the
 * common single-subscriber registration is one object; later subscribers of the same
 * (filter, ident) join it, and it stays the knote after its own subscriber leaves.
 */
class MuxNote {
    /**
     * The interest of the subscriber that created the knote: its filter, data, leeway and
     * user source stand for the knote (read from it rather than copied: one registration,
     * one set of fields). For a tap, also that tap's own interest.
     */
    final Interest interest;
    /** The knote's ident: the interest's, or the fresh one its timer subscriber was given. */
    final long ident;
    /** The knote's slot in the poller's {@link MuxTable}; with the slot's generation it makes the kevent udata. */
    int slot;

    Tap taps;

    // Poller-thread state, one bit each in {@link #bits} (one short, not nine booleans: every
    // registration pays for its fields).
    /** The kqueue holds the knote (an EV_ADD went out and did not fail). */
    static final int IN_KERNEL = 0x01;
    /** The kqueue dropped the knote by itself (EV_ONESHOT delivered): no EV_DELETE. */
    static final int KERNEL_GONE = 0x02;
    /** The EV_ADD's receipt came back without error. */
    static final int CONFIRMED = 0x04;
    /** Enabled as far as the kqueue was last told. */
    static final int ARMED = 0x08;
    /** On the poller's dirty list. */
    static final int DIRTY = 0x10;
    /**
     * Subscribers joined or left, or a user-event handle changed, since the last change: the
     * next one must carry the fflags again (the union of the notes, or the handle's state).
     */
    static final int FFLAGS_STALE = 0x20;
    /** Not reachable by (filter, ident), any more or ever (a timer's own ident): new subscribers get a new knote. */
    static final int DETACHED = 0x40;
    /**
     * Registered without EV_DISPATCH because its first subscriber's demand was unbounded: it
     * stays enabled after each event, and the poller disables it itself when no demand is left.
     */
    static final int UNDISPATCHED = 0x80;
    /** Tap only: a final event waits in (or went out of) the tap's slot. */
    static final int SLOT_FINAL = 0x100;
    /** Tap only: the slot holds an event waiting for demand. */
    static final int SLOT_FULL = 0x200;

    private short bits;

    MuxNote(Interest first, long ident) {
        this.interest = first;
        this.ident = ident;
    }

    short filter() {
        return interest.filter();
    }

    long ident() {
        return ident;
    }

    final boolean is(int bit) {
        return (bits & bit) != 0;
    }

    final void set(int bit, boolean on) {
        bits = (short) (on ? bits | bit : bits & ~bit);
    }

    /** The registration flags: the protocol's plus what the first subscriber chose. */
    int flags() {
        int protocol = FilterPolicy.protocolFlags(interest.filter());
        if (is(UNDISPATCHED)) protocol &= ~Ev.DISPATCH;
        return protocol | (interest.flags() & (Ev.ONESHOT | Ev.CLEAR));
    }

    /** The counting source of a user-event handle's knote, else null. */
    UserSource user() {
        return interest.user();
    }

    void add(Tap t) {
        t.mux = this;
        t.nextInMux = taps;
        taps = t;
        set(FFLAGS_STALE, true);
    }

    void remove(Tap t) {
        Tap prev = null;
        for (Tap cur = taps; cur != null; prev = cur, cur = cur.nextInMux) {
            if (cur == t) {
                if (prev == null) taps = cur.nextInMux; else prev.nextInMux = cur.nextInMux;
                cur.nextInMux = null;
                cur.mux = null;
                set(FFLAGS_STALE, true);
                return;
            }
        }
    }

    /** True when the next change is this knote's EV_ADD. */
    boolean needsAdd() {
        return taps != null && !is(IN_KERNEL | KERNEL_GONE);
    }

    private int wantedFflags() {
        int ff = FilterPolicy.finalNotes(filter());
        for (Tap t = taps; t != null; t = t.nextInMux) ff |= t.notes();
        return FilterPolicy.firstChoosesMode(filter(), ff, interest.fflags());
    }

    private boolean wantsEvents() {
        for (Tap t = taps; t != null; t = t.nextInMux) if (t.hasDemand()) return true;
        return false;
    }

    /** True when every subscriber's demand is unbounded (rule 3.17: it stays so). */
    private boolean unboundedOnly() {
        for (Tap t = taps; t != null; t = t.nextInMux) if (!t.unbounded()) return false;
        return taps != null;
    }

    /**
     * The one change that brings the kqueue in line with the subscribers, or null when it
     * already is; {@code udata} routes the knote's events back. Updates what the kqueue is
     * taken to know.
     */
    KEvent change(long udata) {
        short filter = filter();
        if (taps == null) {
            boolean delete = is(IN_KERNEL) && !is(KERNEL_GONE);
            set(IN_KERNEL, false);
            return delete ? KEvent.of(ident, filter, Ev.DELETE, 0, 0, udata) : null;
        }
        if (is(KERNEL_GONE)) return null;
        boolean demand = wantsEvents();
        if (!is(IN_KERNEL)) {
            // Demand that is unbounded from the start (subscribe(consumer) requests
            // Long.MAX_VALUE in onSubscribe) never runs out: re-arming after every event
            // would be pure overhead, so such a knote is added without EV_DISPATCH.
            set(UNDISPATCHED, unboundedOnly());
            set(IN_KERNEL, true);
            set(ARMED, demand);
            set(FFLAGS_STALE, false);
            int ff = FilterPolicy.changeFflags(filter, wantedFflags(), user());
            int fl = Ev.ADD | Ev.RECEIPT | flags() | (demand ? 0 : Ev.DISABLE);
            return new KEvent(ident, filter, fl, ff, interest.data(), udata, 0, interest.ext1());
        }
        boolean armed = is(ARMED);
        // A knote without EV_DISPATCH stays enabled after its events: without demand the
        // poller disables it, or its events would pile into slots nobody drains.
        boolean disarm = !demand && armed && is(UNDISPATCHED);
        if ((demand && !armed) || disarm || is(FFLAGS_STALE)) {
            set(ARMED, demand);
            set(FFLAGS_STALE, false);
            int ff = FilterPolicy.changeFflags(filter, wantedFflags(), user());
            return new KEvent(ident, filter, demand ? Ev.ENABLE : Ev.DISABLE, ff, interest.data(), udata, 0, interest.ext1());
        }
        return null;
    }
}
