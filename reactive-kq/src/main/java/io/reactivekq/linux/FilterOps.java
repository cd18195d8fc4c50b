package io.reactivekq.linux;

import io.reactivekq.kqueue.KEvent;

/**
 * The behaviour of one filter, as the kernel's filterops: attach a new knote to its source,
 * detach it, evaluate whether it is active, fold a modifying change in, and shape the
 * delivered event. All methods run under the kqueue's lock.
 */
interface FilterOps {

    /** A new knote for {@code change}; filters that schedule timers make a {@link ScheduledKnote}. */
    default Knote newKnote(KEvent change) {
        return new Knote(change, this);
    }

    /** Wires a new knote to its source; returns 0 or the errno that refuses the registration. */
    int attach(LinuxKQueue kq, Knote kn);

    /** Unwires a knote that is being dropped. */
    void detach(LinuxKQueue kq, Knote kn);

    /**
     * Before an EV_ADD on an existing knote: drops it (with any knote sharing its source) when
     * the source vanished without an EV_DELETE, such as an fd closed and its number reused, so
     * that the add attaches afresh. Returns whether it dropped the knote.
     */
    default boolean dropIfStale(LinuxKQueue kq, Knote kn) {
        return false;
    }

    /**
     * Evaluates the knote: {@code hint} is 0 for a re-check of the current condition, or what
     * the source reported. Updates {@code data}/{@code fflags}/the output flags (EV_EOF) and returns
     * whether the knote is active.
     */
    boolean event(LinuxKQueue kq, Knote kn, long hint);

    /**
     * Folds a change on an existing knote in (any change but EV_DELETE, as in BSD: EV_ENABLE
     * with fflags 0 does overwrite the saved fflags). Returns 0 or an errno.
     */
    default int modify(LinuxKQueue kq, Knote kn, KEvent change) {
        kn.sfflags = change.fflags();
        kn.sdata = change.data();
        return 0;
    }

    /** The event to return for an active knote; EV_CLEAR bookkeeping is the core's job. */
    default KEvent deliver(Knote kn) {
        return kn.toEvent();
    }

    /** Resets filter state after delivery of an EV_CLEAR knote, beyond data and fflags. */
    default void clear(Knote kn) {}

    /** The knote was just enabled or disabled (EV_ENABLE, EV_DISABLE, or EV_DISPATCH after a delivery). */
    default void enabledChanged(LinuxKQueue kq, Knote kn) {}
}
