package io.reactivekq.poller;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** One request to the poller thread, queued by any thread; a node of {@link OpQueue}. */
final class Op {
    /** A new subscriber's registration. */
    static final int SUBSCRIBE = 1;
    /** A subscriber's demand went up from zero. */
    static final int DEMAND = 2;
    /** A subscriber cancelled. */
    static final int CANCEL = 3;
    /** A user-event handle was triggered or its fflags changed. */
    static final int USER_SYNC = 4;
    /** Completes once the changes queued before it reached the kqueue. */
    static final int BARRIER = 5;

    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(Op.class, "claimed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int kind;
    final Tap tap;
    final Object arg;
    volatile Op next;
    @SuppressWarnings("unused") // through CLAIMED
    private volatile boolean claimed;

    Op(int kind, Tap tap, Object arg) {
        this.kind = kind;
        this.tap = tap;
        this.arg = arg;
    }

    /**
     * True for the one caller that acts on this op. Several can reach it: the loop (handling
     * it, or refusing what it finds queued as it shuts down) and submitters that find the loop
     * gone right after queueing, each refusing its own op and those linked behind it. Without
     * the claim a subscriber could get a second terminal signal, or a barrier run twice.
     */
    boolean claim() {
        return CLAIMED.compareAndSet(this, false, true);
    }
}
