package io.reactivekq;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A poller of its own on the real backend, for end-to-end flux tests, and a way to order a
 * test's actions after a subscriber's registration reached the kqueue.
 *
 * <p>StepVerifier runs a {@code then} task placed after {@code expectSubscription()} inside
 * {@code onSubscribe}, before the flux has queued its registration; {@link #registered}
 * subscribes on another thread so that such a task can wait for the registration.
 */
final class RealPoller implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    final KqPoller poller = KqPoller.create("kq-real-test");
    private final Scheduler subscribing = Schedulers.newSingle("kq-real-subscribe");

    /** Waits until every change queued so far was in a kevent call. */
    void flush() {
        poller.loop().afterFlush(() -> null).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    int knotes() {
        return poller.loop().knoteCount().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** A flux and a wait for its (one) subscriber's registration to be in the kqueue. */
    record Registered(Flux<KEvent> flux, CountDownLatch queued, RealPoller owner) {
        /** Call from a StepVerifier {@code then} task (test thread): returns once registered. */
        void await() {
            try {
                if (!queued.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("never subscribed");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            owner.flush();
        }
    }

    Registered registered(Flux<KEvent> flux) {
        CountDownLatch queued = new CountDownLatch(1);
        Flux<KEvent> f = Flux.<KEvent>from(s -> {
            flux.subscribe(s);
            queued.countDown();
        }).subscribeOn(subscribing);
        return new Registered(f, queued, this);
    }

    static Predicate<Throwable> kqError(String errno, long ident) {
        return t -> t instanceof KqException e && e.errnoName().equals(errno) && e.ident() == ident
            && e.getMessage().contains(errno) && e.getMessage().contains("ident " + ident);
    }

    @Override
    public void close() {
        poller.close();
        subscribing.dispose();
    }
}
