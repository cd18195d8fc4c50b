package io.reactivekq.poller;

import io.reactivekq.kqueue.KEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/** A recording subscriber for loop tests: events, terminal signal, and its subscription. */
final class Subs implements CoreSubscriber<KEvent> {
    final CopyOnWriteArrayList<KEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch terminated = new CountDownLatch(1);
    volatile Subscription subscription;
    volatile Throwable error;
    volatile boolean completed;
    private final long initial;

    Subs(long initialRequest) {
        this.initial = initialRequest;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (initial > 0) s.request(initial);
    }

    @Override
    public void onNext(KEvent ev) {
        events.add(ev);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        terminated.countDown();
    }

    @Override
    public void onComplete() {
        completed = true;
        terminated.countDown();
    }

    void awaitTerminated() throws InterruptedException {
        if (!terminated.await(20, TimeUnit.SECONDS)) throw new AssertionError("no terminal signal");
    }

    /** Waits until {@code n} events arrived. */
    void awaitEvents(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (events.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + events.size() + " of " + n + " events");
            Thread.sleep(1);
        }
    }
}
