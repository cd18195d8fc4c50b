package io.reactivekq.poller;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A lock-free multi-producer, single-consumer queue of {@link Op}s: producers swap
 * themselves in as the tail with one atomic exchange and then link the previous tail to
 * them; the poller thread alone walks from the head. An op whose link is not yet written is
 * simply seen on the next turn; the producer checks whether the poller sleeps only after
 * linking, so no op is left behind a sleeping poller. Once the loop has ended, producers walk
 * the links too, from their own op on (see {@code Poller.submit}), while the loop's last drain
 * may still be running; each op's claim keeps them from acting on one twice.
 */
final class OpQueue {
    private final AtomicReference<Op> tail;
    /** The last op taken (or the initial stub); consumer-only. */
    private Op head;

    OpQueue() {
        Op stub = new Op(0, null, null);
        head = stub;
        tail = new AtomicReference<>(stub);
    }

    /** Any thread. */
    void offer(Op op) {
        Op prev = tail.getAndSet(op);
        prev.next = op;
    }

    /** Poller thread only: the next op, or null. */
    Op poll() {
        Op next = head.next;
        if (next == null) return null;
        head.next = null; // let the consumed node go
        head = next;
        return next;
    }

    /** Poller thread only: true when no linked op is waiting. */
    boolean isEmpty() {
        return head.next == null;
    }
}
