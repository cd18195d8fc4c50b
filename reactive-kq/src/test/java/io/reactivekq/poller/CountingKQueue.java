package io.reactivekq.poller;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test decorator of the KQueue SPI: counts kevent calls (by the calling thread) and records,
 * for every call the poller thread makes, its changelist and the events it returned.
 */
public final class CountingKQueue implements KQueue {
    /** One kevent call of the poller thread. */
    public record Call(long index, List<KEvent> changes, List<KEvent> events, long timeoutNanos) {}

    private final KQueue delegate;
    private final AtomicLong otherThreadCalls = new AtomicLong();
    private final List<Call> calls = new ArrayList<>();
    private volatile Thread pollerThread;

    public CountingKQueue(KQueue delegate) {
        this.delegate = delegate;
    }

    public static CountingKQueue open() {
        return new CountingKQueue(KQueue.open());
    }

    public KQueue delegate() {
        return delegate;
    }

    @Override
    public int kevent(KEvent[] changes, int nchanges, KEvent[] events, int nevents, long timeoutNanos) {
        Thread me = Thread.currentThread();
        if (pollerThread == null && me.getName().startsWith("kq-")) pollerThread = me;
        if (me != pollerThread) {
            otherThreadCalls.incrementAndGet();
            return delegate.kevent(changes, nchanges, events, nevents, timeoutNanos);
        }
        List<KEvent> ch = List.copyOf(Arrays.asList(changes).subList(0, nchanges));
        int n = delegate.kevent(changes, nchanges, events, nevents, timeoutNanos);
        List<KEvent> ev = List.copyOf(Arrays.asList(events).subList(0, n));
        synchronized (calls) {
            calls.add(new Call(calls.size(), ch, ev, timeoutNanos));
        }
        return n;
    }

    /** The poller thread's calls so far. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls made by threads other than the poller (its wakeups). */
    public long otherThreadCalls() {
        return otherThreadCalls.get();
    }

    @Override
    public io.reactivekq.kqueue.KqException refusal(KEvent error, String call) {
        return delegate.refusal(error, call);
    }

    @Override
    public String backend() {
        return "counting(" + delegate.backend() + ")";
    }

    @Override
    public void close() {
        delegate.close();
    }
}
