package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.call;
import static io.reactivekq.linux.Kev.trigger;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Zero, finite and infinite timeouts. */
class TimeoutTest extends KqFixture {
    private static final long MS = 1_000_000L;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void closeKqueueThenJoinCallers() throws InterruptedException {
        kq.close();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
    }

    @Test
    void zeroTimeoutPollsAndReturnsAtOnce() {
        kq.register(user(1, Ev.ADD));
        long t0 = System.nanoTime();
        assertTrue(call(kq, 4, 0).isEmpty());
        assertTrue(System.nanoTime() - t0 < 10_000 * MS, "a poll blocked");
    }

    @Test
    void finiteTimeoutReturnsZeroAfterRoughlyTheTimeout() {
        kq.register(user(1, Ev.ADD));
        long t0 = System.nanoTime();
        int n = kq.kevent(null, new KEvent[4], Duration.ofMillis(200));
        long took = System.nanoTime() - t0;
        assertEquals(0, n);
        assertTrue(took >= 160 * MS, "returned after " + Kev.millis(took) + " ms");
        assertTrue(took < 10_000 * MS, "returned after " + Kev.millis(took) + " ms");
    }

    @Test
    void finiteTimeoutReturnsEarlyWhenAnEventArrives() throws Exception {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        long t0 = System.nanoTime();
        Future<List<KEvent>> f = pool.submit(() -> call(kq, 4, 60_000 * MS));
        ThreadingTest.awaitSleepers(kq, 1);
        kq.register(trigger(1));
        assertEquals(1, f.get(20, TimeUnit.SECONDS).size());
        assertTrue(System.nanoTime() - t0 < 30_000 * MS);
    }

    @Test
    void shortTimeoutIsNotCutShortByAnUnrelatedWakeup() throws Exception {
        kq.register(user(1, Ev.ADD));
        long t0 = System.nanoTime();
        Future<List<KEvent>> f = pool.submit(() -> call(kq, 4, 300 * MS));
        ThreadingTest.awaitSleepers(kq, 1);
        kq.register(user(2, Ev.ADD)); // a change that wakes the sleeper but activates nothing
        assertTrue(f.get(20, TimeUnit.SECONDS).isEmpty());
        long took = System.nanoTime() - t0;
        assertTrue(took >= 240 * MS, "returned after " + Kev.millis(took) + " ms");
    }

    @Test
    void infiniteTimeoutBlocksUntilAnotherThreadTriggers() throws Exception {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        Future<Integer> f = pool.submit(() -> kq.kevent(null, new KEvent[4], null));
        ThreadingTest.awaitSleepers(kq, 1);
        assertTrue(!f.isDone(), "an infinite wait returned with nothing ready");
        kq.register(trigger(1));
        assertEquals(1, f.get(20, TimeUnit.SECONDS));
    }

    @Test
    void hugeTimeoutWaitsLikeAnInfiniteOne() throws Exception {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        Future<List<KEvent>> f = pool.submit(() -> call(kq, 4, Long.MAX_VALUE));
        ThreadingTest.awaitSleepers(kq, 1);
        kq.register(trigger(1));
        assertEquals(1, f.get(20, TimeUnit.SECONDS).size());
    }

    @Test
    void negativeTimeoutMeansForever() throws Exception {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        Future<List<KEvent>> f = pool.submit(() -> call(kq, 4, -12345));
        ThreadingTest.awaitSleepers(kq, 1);
        kq.register(trigger(1));
        assertEquals(1, f.get(20, TimeUnit.SECONDS).size());
    }

    @Test
    void zeroEventListReturnsAtOnceWhateverTheTimeout() {
        kq.register(user(1, Ev.ADD));
        long t0 = System.nanoTime();
        assertEquals(0, kq.kevent(new KEvent[0], 0, new KEvent[0], 0, KQueue.FOREVER));
        assertTrue(System.nanoTime() - t0 < 10_000 * MS, "a poll blocked");
    }
}
