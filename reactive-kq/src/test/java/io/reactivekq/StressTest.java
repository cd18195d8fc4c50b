package io.reactivekq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.linux.LinuxKQueue;
import io.reactivekq.linux.TestFds;
import io.reactivekq.poller.Poller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * 8 threads subscribe, trigger, request and cancel at random over 10,000 user-event
 * registrations of one poller for 30 s ({@code -Dkq.stress.seconds} changes it). Afterwards
 * every trigger made while subscribed is accounted for, as delivered data or as a count that
 * died with a cancel; no onNext came after the loop turn in which cancel returned; no knote
 * and no fd is left.
 */
class StressTest {
    private static final int THREADS = 8;
    private static final int REGISTRATIONS = 10_000;

    private final LongAdder triggered = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder lateOnNext = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final java.util.concurrent.atomic.AtomicReference<Throwable> firstError =
        new java.util.concurrent.atomic.AtomicReference<>();

    /** One subscription of the test: counts what it receives, watches for onNext after cancel. */
    private final class Counting implements CoreSubscriber<KEvent> {
        private final Poller loop;
        volatile Subscription subscription;
        volatile long cancelledInTurn = -1;

        Counting(Poller loop) {
            this.loop = loop;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(KEvent ev) {
            long c = cancelledInTurn;
            if (c >= 0 && loop.turns() > c + 1) lateOnNext.increment();
            delivered.add(ev.data());
        }

        @Override
        public void onError(Throwable t) {
            errors.increment();
            firstError.compareAndSet(null, t);
        }

        @Override
        public void onComplete() {
            errors.increment();
        }

        void cancel() {
            subscription.cancel();
            cancelledInTurn = loop.turns();
        }
    }

    @Test
    void randomSubscribeRequestCancelKeepsEveryCountAndLeavesNothingBehind() throws Exception {
        long seconds = Long.getLong("kq.stress.seconds", 30);
        long pauseNanos = Long.getLong("kq.stress.pauseNanos", 10_000);
        new TestPipe().close(); // the JDK's own first-NIO fd, before the baseline
        int fdsBefore = TestFds.openFdCount();
        KQueue kq = KQueue.open();
        KqPoller poller = new KqPoller("kq-stress", kq);
        Poller loop = poller.loop();
        UserEvent[] handles = new UserEvent[REGISTRATIONS];
        for (int i = 0; i < REGISTRATIONS; i++) handles[i] = poller.userEvent();
        Counting[] live = new Counting[REGISTRATIONS];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    // A short pause per action keeps the 8 threads (on a 2-core box) from simply
                    // burying the one loop thread in ops; it still sees ~10^5 actions a second.
                    if (pauseNanos > 0) java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                    // Each thread owns the registrations congruent to its number.
                    int i = worker + THREADS * rnd.nextInt(REGISTRATIONS / THREADS);
                    Counting c = live[i];
                    if (c == null) {
                        c = new Counting(loop);
                        handles[i].flux().subscribe(c);
                        live[i] = c;
                        if (rnd.nextBoolean()) c.subscription.request(1 + rnd.nextInt(3));
                        continue;
                    }
                    int action = rnd.nextInt(10);
                    if (action < 5) {
                        int k = 1 + rnd.nextInt(5);
                        for (int t = 0; t < k; t++) handles[i].trigger();
                        triggered.add(k);
                    } else if (action < 8) {
                        c.subscription.request(rnd.nextInt(20) == 0 ? Long.MAX_VALUE : 1 + rnd.nextInt(3));
                    } else {
                        c.cancel();
                        live[i] = null;
                    }
                }
                return null;
            }));
        }
        long turnsAtStart = loop.turns();
        for (Future<?> f : workers) f.get(seconds + 60, TimeUnit.SECONDS);
        System.out.printf("stress: %,d turns during the run%n", loop.turns() - turnsAtStart);
        pool.shutdown();

        for (int i = 0; i < REGISTRATIONS; i++) {
            if (live[i] != null) live[i].cancel();
        }
        // The loop sends at most one changelist (BATCH changes) per turn, so thousands of
        // final cancels take several turns: wait for them, a bounded number of turns.
        int turnsToSettle = 0;
        while (loop.knoteCount().get(30, TimeUnit.SECONDS) > 0 && turnsToSettle < 200) turnsToSettle++;
        loop.afterFlush(() -> null).get(30, TimeUnit.SECONDS);
        System.out.printf("stress: settled after %d extra turns%n", turnsToSettle);

        if (firstError.get() != null) throw new AssertionError("a subscription failed", firstError.get());
        assertTrue(triggered.sum() > 10_000, "the stress made " + triggered.sum() + " triggers");
        // A subscription cancelled before the loop attached it leaves its triggers in the
        // handle, for the handle's next subscriber.
        long waiting = 0;
        for (UserEvent h : handles) waiting += h.pending();
        System.out.printf("stress: %,d triggers, %,d delivered, %,d dropped with cancels, %,d waiting, %,d turns%n",
            triggered.sum(), delivered.sum(), loop.discardedCounts(), waiting, loop.turns());
        assertEquals(triggered.sum(), delivered.sum() + loop.discardedCounts() + waiting,
            "triggers made while subscribed = delivered + died with a cancel + waiting in a handle (delivered "
                + delivered.sum() + ", discarded " + loop.discardedCounts() + ", waiting " + waiting + ")");
        assertTrue(delivered.sum() > 0, "nothing was delivered");
        assertEquals(0, lateOnNext.sum(), "onNext after the turn in which cancel returned");
        assertEquals(0, errors.sum(), "no subscription ended by itself");
        assertEquals(0, loop.knoteCount().get(30, TimeUnit.SECONDS), "no registration left in the poller");
        if (kq instanceof LinuxKQueue lk) {
            assertEquals(Map.of("EVFILT_USER", 1), lk.knoteCounts(), "only the poller's wakeup knote is left");
        }
        poller.close();
        assertEquals(fdsBefore, TestFds.openFdCount(), "no fd left behind");
    }
}
