package io.reactivekq.poller;

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

    final int kind;
    final Tap tap;
    final Object arg;
    volatile Op next;

    Op(int kind, Tap tap, Object arg) {
        this.kind = kind;
        this.tap = tap;
        this.arg = arg;
    }
}
