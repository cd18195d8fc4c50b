package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;

/**
 * Ops queued while the loop ends: each is handled by the loop or refused exactly once. The
 * window is between the loop marking itself ended and its last drain of the queue; a submitter
 * that queues inside it and then sees the loop ended refuses its op too, unless the op is
 * claimed by one side only.
 */
class CloseRaceTest {
    private static final int ROUNDS = 50;
    /** Ops each thread still queues once it has seen the poller close: they straddle its end. */
    private static final int AFTER_CLOSE = 20_000;

    private final AtomicInteger dropped = new AtomicInteger();

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
    }

    @Test
    void anOpQueuedAsTheLoopEndsIsHandledOrRefusedOnceNeverTwice() throws Exception {
        Hooks.onErrorDropped(e -> dropped.incrementAndGet());
        for (int round = 0; round < ROUNDS; round++) {
            Poller p = Poller.start("kq-close-race-test", KQueue.open(), 64);
            List<List<AtomicInteger>> runs = new ArrayList<>();
            List<List<Subs>> subs = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                List<AtomicInteger> myRuns = new ArrayList<>();
                List<Subs> mySubs = new ArrayList<>();
                runs.add(myRuns);
                subs.add(mySubs);
                Thread th = new Thread(() -> submitUntilWellAfterClose(p, myRuns, mySubs, started), "kq-close-racer-" + t);
                threads.add(th);
                th.start();
            }
            assertTrue(started.await(20, TimeUnit.SECONDS), "the racers started");
            p.close();
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!th.isAlive(), th.getName() + " finished");
            }
            int r = round;
            for (List<AtomicInteger> list : runs) {
                for (AtomicInteger c : list) assertEquals(1, c.get(), "round " + r + ": a barrier ran " + c.get() + " times");
            }
            for (List<Subs> list : subs) {
                for (Subs s : list) {
                    assertTrue(s.terminated.await(20, TimeUnit.SECONDS), "round " + r + ": a subscriber got no terminal signal");
                }
            }
            assertEquals(0, dropped.get(), "round " + r + ": a second terminal signal was dropped");
        }
    }

    /** Queues barriers (and now and then a subscription) until AFTER_CLOSE ops past the poller's close. */
    private static void submitUntilWellAfterClose(Poller p, List<AtomicInteger> runs, List<Subs> subs, CountDownLatch started) {
        started.countDown();
        int left = AFTER_CLOSE;
        for (int i = 0; left > 0; i++) {
            if (p.isClosed()) left--;
            AtomicInteger ran = new AtomicInteger();
            runs.add(ran);
            p.afterFlush(ran::incrementAndGet);
            if (i % 64 == 0) {
                Subs s = new Subs(1);
                subs.add(s);
                p.subscribeOwnIdent(Interest.of(EvFilt.TIMER, 0, 0, Note.SECONDS, 3600, 0), s);
            }
        }
    }
}
