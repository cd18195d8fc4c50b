package io.reactivekq.poller;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A KQueue whose events the test scripts: it records every change, answers EV_RECEIPT with
 * success (or a scripted errno), and returns the events the test pushes. It lets tests drive
 * filters the backend under test may not have (VNODE notes, PROC exit) deterministically.
 */
final class ScriptedKQueue implements KQueue {
    private static final KEvent WAKE = KEvent.of(Poller.WAKE_IDENT, EvFilt.USER, 0);

    private final LinkedBlockingQueue<KEvent> pending = new LinkedBlockingQueue<>();
    private final List<KEvent> changes = new ArrayList<>();
    private final Map<Long, Integer> addErrors = new HashMap<>();
    private volatile RuntimeException failure;

    /** Every EV_ADD of {@code ident} fails with {@code errno} (as for a dead pid). */
    synchronized void failAdd(long ident, Errno errno) {
        addErrors.put(ident, errno.number());
    }

    /** The next kevent call throws {@code e}. */
    void failNextCall(RuntimeException e) {
        failure = e;
        pending.add(WAKE);
    }

    /** Every change so far, in order. */
    synchronized List<KEvent> changes() {
        return List.copyOf(changes);
    }

    /** The changes for one ident, in order. */
    synchronized List<KEvent> changesOf(long ident) {
        return changes.stream().filter(c -> c.ident() == ident && c.ident() != Poller.WAKE_IDENT).toList();
    }

    /** The udata the poller gave the knote of {@code ident}. */
    long udataOf(long ident) {
        List<KEvent> l = changesOf(ident);
        if (l.isEmpty()) throw new AssertionError("no change for ident " + ident);
        return l.getLast().udata();
    }

    /** Makes the kqueue return {@code ev} as if the kernel reported it for the knote of ident. */
    void push(long ident, short filter, int flags, int fflags, long data) {
        push(ident, filter, flags, fflags, data, 0, 0);
    }

    /** As {@link #push(long, short, int, int, long)}, with extension words. */
    void push(long ident, short filter, int flags, int fflags, long data, long ext0, long ext1) {
        pending.add(new KEvent(ident, filter, flags, fflags, data, udataOf(ident), ext0, ext1));
    }

    @Override
    public int kevent(KEvent[] chs, int nchanges, KEvent[] events, int nevents, long timeoutNanos) {
        RuntimeException f = failure;
        if (f != null && Thread.currentThread().getName().startsWith("kq-")) {
            failure = null;
            throw f;
        }
        int n = 0;
        synchronized (this) {
            for (int i = 0; i < nchanges; i++) {
                KEvent ch = chs[i];
                changes.add(ch);
                if (ch.ident() == Poller.WAKE_IDENT && (ch.fflags() & Note.TRIGGER) != 0) pending.add(WAKE);
                Integer err = (ch.flags() & Ev.ADD) != 0 ? addErrors.get(ch.ident()) : null;
                if (err != null || (ch.flags() & Ev.RECEIPT) != 0) {
                    events[n++] = new KEvent(ch.ident(), ch.filter(), Ev.ERROR, 0, err == null ? 0 : err, ch.udata(), 0, 0);
                }
            }
        }
        if (n > 0 || nevents == 0) return n;
        try {
            KEvent first = timeoutNanos == 0 ? pending.poll()
                : pending.poll(timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos, TimeUnit.NANOSECONDS);
            if (first == null) return 0;
            events[n++] = first;
            KEvent more;
            while (n < nevents && (more = pending.poll()) != null) events[n++] = more;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KqException(Errno.EINTR, "kevent", -1, null);
        }
    }

    @Override
    public String backend() {
        return "scripted";
    }

    @Override
    public void close() {
        pending.add(WAKE);
    }
}
