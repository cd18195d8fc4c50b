package io.reactivekq.linux;

import java.util.Arrays;

/**
 * The kqueue's one timer structure: every scheduled knote (a TIMER knote, or a PROC knote
 * waiting to retry) is in a binary heap ordered by deadline (which timers are due), and each
 * that is a reason to wake (not a disabled periodic timer) also in one ordered by the latest
 * moment it may fire (deadline + leeway: when the kqueue must wake). Waking at the earliest
 * "latest" and then firing everything already due lets timers with leeway share a wakeup.
 */
final class TimerQueue {

    private final Heap byDeadline = new Heap(0);
    private final Heap byLatest = new Heap(1);

    void schedule(ScheduledKnote e, long deadline, long leeway, long period) {
        cancel(e);
        e.deadline = deadline;
        e.latest = saturatedAdd(deadline, leeway);
        e.period = period;
        byDeadline.add(e);
        if (wakes(e)) byLatest.add(e);
    }

    /**
     * A disabled periodic timer is no reason to wake. Its expirations still count: whenever
     * {@link #expire} runs it catches up on every period since the deadline, and it runs before
     * anything is returned, so an EV_ENABLE finds the full count. Waking for it would gain
     * nothing, and a period shorter than a kevent call would keep the caller from ever
     * sleeping (with the kqueue's lock held, so nobody could enable the timer again). A
     * one-time deadline (a oneshot timer, a PROC retry) still wakes: it fires once and leaves.
     */
    private static boolean wakes(ScheduledKnote e) {
        return e.period == 0 || !e.has(Knote.DISABLED);
    }

    /** The knote was enabled or disabled: whether it is a reason to wake may have changed. */
    void enabledChanged(ScheduledKnote e) {
        if (e.index(0) < 0) return; // not scheduled
        boolean wake = wakes(e);
        if (wake == (e.index(1) >= 0)) return; // already where it belongs
        if (wake) byLatest.add(e); else byLatest.remove(e);
    }

    void cancel(ScheduledKnote e) {
        byDeadline.remove(e);
        byLatest.remove(e);
    }

    int size() {
        return byDeadline.size;
    }

    /** When the kqueue must wake for its timers, or Long.MAX_VALUE with none. */
    long nextWakeNanos() {
        return byLatest.size == 0 ? Long.MAX_VALUE : byLatest.heap[0].latest;
    }

    /** Fires every timer due at {@code now}: adds the expirations to its knote and reschedules periodic ones. */
    void expire(LinuxKQueue kq, long now) {
        while (byDeadline.size > 0 && byDeadline.heap[0].deadline - now <= 0) {
            ScheduledKnote e = byDeadline.heap[0];
            long leeway = e.latest - e.deadline;
            cancel(e);
            long fired = 1;
            if (e.period > 0) {
                fired += (now - e.deadline) / e.period;
                schedule(e, e.deadline + fired * e.period, leeway, e.period);
            }
            kq.activate(e, fired);
        }
    }

    void clear() {
        byDeadline.clear();
        byLatest.clear();
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** A binary min-heap of scheduled knotes on one of their two keys, with O(log n) removal. */
    private static final class Heap {
        private final int which;
        ScheduledKnote[] heap = new ScheduledKnote[16];
        int size;

        Heap(int which) {
            this.which = which;
        }

        void add(ScheduledKnote e) {
            if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
            heap[size] = e;
            e.setIndex(which, size);
            up(size++);
        }

        void remove(ScheduledKnote e) {
            int i = e.index(which);
            if (i < 0) return;
            e.setIndex(which, -1);
            ScheduledKnote last = heap[--size];
            heap[size] = null;
            if (i == size) return;
            heap[i] = last;
            last.setIndex(which, i);
            up(i);
            down(last.index(which));
        }

        void clear() {
            for (int i = 0; i < size; i++) heap[i].setIndex(which, -1);
            Arrays.fill(heap, null);
            size = 0;
        }

        private boolean less(int a, int b) {
            return heap[a].key(which) - heap[b].key(which) < 0;
        }

        private void swap(int a, int b) {
            ScheduledKnote t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
            heap[a].setIndex(which, a);
            heap[b].setIndex(which, b);
        }

        private void up(int i) {
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (!less(i, p)) return;
                swap(i, p);
                i = p;
            }
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) return;
                int m = l + 1 < size && less(l + 1, l) ? l + 1 : l;
                if (!less(m, i)) return;
                swap(i, m);
                i = m;
            }
        }
    }
}
