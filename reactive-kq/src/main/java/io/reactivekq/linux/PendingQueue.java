package io.reactivekq.linux;

/**
 * The kqueue's pending (active) queue: an intrusive FIFO over {@link Knote} links, so that
 * enqueue, dequeue and removal of an arbitrary knote are O(1) and allocate nothing.
 */
final class PendingQueue {
    private Knote head;
    private Knote tail;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void addLast(Knote kn) {
        kn.flags |= Knote.QUEUED;
        kn.next = null;
        kn.prev = tail;
        if (tail == null) head = kn; else tail.next = kn;
        tail = kn;
        size++;
    }

    Knote pollFirst() {
        Knote kn = head;
        if (kn != null) remove(kn);
        return kn;
    }

    void remove(Knote kn) {
        if (!kn.has(Knote.QUEUED)) return;
        if (kn.prev == null) head = kn.next; else kn.prev.next = kn.next;
        if (kn.next == null) tail = kn.prev; else kn.next.prev = kn.prev;
        kn.prev = kn.next = null;
        kn.flags &= ~Knote.QUEUED;
        size--;
    }
}
