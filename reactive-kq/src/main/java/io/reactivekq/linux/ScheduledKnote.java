package io.reactivekq.linux;

import io.reactivekq.kqueue.KEvent;

/**
 * A knote that the kqueue's {@link TimerQueue} can schedule: a TIMER knote (its expirations),
 * or a PROC knote (the retry while its process's exit status is in flight). The schedule is
 * held here rather than in an object of its own: a timer registration is then one object.
 * Only these filters make one (see {@link FilterOps#newKnote}), so other knotes do not pay
 * for the fields. 112 bytes: the 80 of a {@link Knote} and 32 of schedule.
 */
final class ScheduledKnote extends Knote {
    long deadline;
    long latest;
    /** 0 for a schedule that fires once. */
    long period;
    /** Positions in the queue's two heaps, -1 when out. */
    private int deadlineIndex = -1;
    private int latestIndex = -1;

    ScheduledKnote(KEvent change, FilterOps ops) {
        super(change, ops);
    }

    long key(int heap) {
        return heap == 0 ? deadline : latest;
    }

    int index(int heap) {
        return heap == 0 ? deadlineIndex : latestIndex;
    }

    void setIndex(int heap, int i) {
        if (heap == 0) deadlineIndex = i; else latestIndex = i;
    }
}
