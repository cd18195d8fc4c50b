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
    /** The kevent udata that routes this knote's events back here (slot and generation). */
    long udata;

    Tap taps;

    /** The kqueue holds the knote (an EV_ADD went out and did not fail). */
    boolean inKernel;
    /** The kqueue dropped the knote by itself (EV_ONESHOT delivered): no EV_DELETE. */
    boolean kernelGone;
    /** The EV_ADD's receipt came back without error. */
    boolean confirmed;
    /** Armed as far as the kqueue was last told. */
    boolean armed;
    int kernelFflags;
    /** On the poller's dirty list. */
    boolean dirty;
    /** A user-event handle changed: the next change must carry its fflags and trigger. */
    boolean userChanged;
    /** Not reachable by (filter, ident), any more or ever (a timer's own ident): new subscribers get a new knote. */
    boolean detached;

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

    /** The registration flags: the protocol's plus what the first subscriber chose. */
    int flags() {
        return FilterPolicy.protocolFlags(interest.filter()) | (interest.flags() & (Ev.ONESHOT | Ev.CLEAR));
    }

    /** The counting source of a user-event handle's knote, else null. */
    UserSource user() {
        return interest.user();
    }

    void add(Tap t) {
        t.mux = this;
        t.nextInMux = taps;
        taps = t;
    }

    void remove(Tap t) {
        Tap prev = null;
        for (Tap cur = taps; cur != null; prev = cur, cur = cur.nextInMux) {
            if (cur == t) {
                if (prev == null) taps = cur.nextInMux; else prev.nextInMux = cur.nextInMux;
                cur.nextInMux = null;
                cur.mux = null;
                return;
            }
        }
    }

    /** True when the next change is this knote's EV_ADD. */
    boolean needsAdd() {
        return taps != null && !inKernel && !kernelGone;
    }

    private int wantedFflags() {
        int ff = FilterPolicy.finalNotes(filter());
        for (Tap t = taps; t != null; t = t.nextInMux) ff |= t.notes();
        return ff;
    }

    private boolean wantsEvents() {
        for (Tap t = taps; t != null; t = t.nextInMux) if (t.hasDemand()) return true;
        return false;
    }

    /**
     * The one change that brings the kqueue in line with the subscribers, or null when it
     * already is. Updates what the kqueue is taken to know.
     */
    KEvent change() {
        short filter = filter();
        if (taps == null) {
            boolean delete = inKernel && !kernelGone;
            inKernel = false;
            return delete ? KEvent.of(ident, filter, Ev.DELETE, 0, 0, udata) : null;
        }
        if (kernelGone) return null;
        int want = wantedFflags();
        boolean demand = wantsEvents();
        int ff = FilterPolicy.changeFflags(filter, want, user());
        if (!inKernel) {
            inKernel = true;
            armed = demand;
            kernelFflags = want;
            userChanged = false;
            int fl = Ev.ADD | Ev.RECEIPT | flags() | (demand ? 0 : Ev.DISABLE);
            return new KEvent(ident, filter, fl, ff, interest.data(), udata, 0, interest.ext1());
        }
        if ((demand && !armed) || want != kernelFflags || userChanged) {
            armed = demand;
            kernelFflags = want;
            userChanged = false;
            return new KEvent(ident, filter, demand ? Ev.ENABLE : Ev.DISABLE, ff, interest.data(), udata, 0, interest.ext1());
        }
        return null;
    }
}
