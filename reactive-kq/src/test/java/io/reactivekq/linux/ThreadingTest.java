package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.call;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.timer;
import static io.reactivekq.linux.Kev.trigger;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** kevent from several threads: wakeups through the eventfd, changes while another thread waits. */
class ThreadingTest extends KqFixture {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void closeKqueueThenJoinCallers() throws Exception {
        kq.close();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS), "a kevent caller hung");
    }

    /** Waits until {@code n} threads sleep inside kevent. */
    static void awaitSleepers(LinuxKQueue kq, int n) throws InterruptedException {
        long end = System.nanoTime() + Kev.PATIENCE_NANOS;
        while (kq.sleepingCallers() < n) {
            assertTrue(System.nanoTime() - end < 0, "kevent callers did not go to sleep");
            Thread.sleep(1);
        }
    }

    private Future<List<KEvent>> blockedCall(int nevents) {
        return pool.submit(() -> call(kq, nevents, KQueue.FOREVER));
    }

    @Test
    void blockedKeventIsWokenByATriggerFromAnotherThread() throws Exception {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        Future<List<KEvent>> f = blockedCall(4);
        awaitSleepers(kq, 1);
        kq.register(trigger(1));
        List<KEvent> r = f.get(20, TimeUnit.SECONDS);
        assertEquals(1, r.size());
        assertEquals(1, r.get(0).ident());
    }

    @Test
    void blockedKeventSeesAKnoteAddedByAnotherThread() throws Exception {
        int[] p = fds.pipe();
        TestFds.write(p[1], "ready");
        Future<List<KEvent>> f = blockedCall(4);
        awaitSleepers(kq, 1);
        kq.register(read(p[0], Ev.ADD));
        List<KEvent> r = f.get(20, TimeUnit.SECONDS);
        assertEquals(EvFilt.READ, r.get(0).filter());
        assertEquals(5, r.get(0).data());
    }

    @Test
    void blockedKeventWakesForATimerAddedByAnotherThread() throws Exception {
        Future<List<KEvent>> f = blockedCall(4);
        awaitSleepers(kq, 1);
        kq.register(timer(1, Ev.ADD | Ev.ONESHOT, 0, 30));
        List<KEvent> r = f.get(20, TimeUnit.SECONDS);
        assertEquals(EvFilt.TIMER, r.get(0).filter());
    }

    @Test
    void blockedKeventIsWokenByDataOnAWatchedPipe() throws Exception {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        Future<List<KEvent>> f = blockedCall(4);
        awaitSleepers(kq, 1);
        TestFds.write(p[1], "wake");
        assertEquals(4, f.get(20, TimeUnit.SECONDS).get(0).data());
    }

    @Test
    void twoSleepersBothGetAnEventWhenTwoArrive() throws Exception {
        kq.register(user(1, Ev.ADD | Ev.ONESHOT), user(2, Ev.ADD | Ev.ONESHOT));
        Future<List<KEvent>> a = blockedCall(1);
        Future<List<KEvent>> b = blockedCall(1);
        awaitSleepers(kq, 2);
        kq.register(trigger(1), trigger(2));
        Set<Long> got = new HashSet<>();
        got.add(a.get(20, TimeUnit.SECONDS).get(0).ident());
        got.add(b.get(20, TimeUnit.SECONDS).get(0).ident());
        assertEquals(Set.of(1L, 2L), got);
    }

    @Test
    void concurrentTriggersAreEachDeliveredExactlyOnce() throws Exception {
        int count = 2000;
        Future<?> producer = pool.submit(() -> {
            for (int i = 0; i < count; i++) kq.register(user(i, Ev.ADD | Ev.ONESHOT, Note.TRIGGER, i));
        });
        Set<Long> seen = new HashSet<>();
        long end = System.nanoTime() + Kev.PATIENCE_NANOS;
        while (seen.size() < count && System.nanoTime() - end < 0) {
            for (KEvent e : call(kq, 7, 50_000_000L)) {
                assertEquals(e.ident(), e.data());
                assertTrue(seen.add(e.ident()), "delivered twice: " + e);
            }
        }
        producer.get(20, TimeUnit.SECONDS);
        assertEquals(count, seen.size());
        assertTrue(kq.knoteCounts().isEmpty());
    }

    @Test
    void severalCollectorsShareTheEventsWithoutDuplicates() throws Exception {
        int count = 1000;
        List<Future<List<Long>>> collectors = new ArrayList<>();
        Set<Long> all = ConcurrentHashMap.newKeySet();
        for (int c = 0; c < 3; c++) {
            collectors.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                long end = System.nanoTime() + Kev.PATIENCE_NANOS;
                while (all.size() < count && System.nanoTime() - end < 0) {
                    for (KEvent e : call(kq, 3, 20_000_000L)) {
                        mine.add(e.ident());
                        all.add(e.ident());
                    }
                }
                return mine;
            }));
        }
        for (int i = 0; i < count; i++) kq.register(user(i, Ev.ADD | Ev.ONESHOT, Note.TRIGGER, 0));
        List<Long> merged = new ArrayList<>();
        for (Future<List<Long>> f : collectors) merged.addAll(f.get(30, TimeUnit.SECONDS));
        assertEquals(count, merged.size(), "lost or duplicated events");
        assertEquals(count, new HashSet<>(merged).size(), "an event went to two collectors");
    }

    @Test
    void aPollingCallerDoesNotSwallowTheWakeupASleeperNeeds() throws Exception {
        // The sleeper must notice a timer another thread adds, even when that thread polls the
        // kqueue in the same call (and so may drain the wakeup meant for the sleeper).
        for (int round = 0; round < 20; round++) {
            Future<List<KEvent>> f = blockedCall(4);
            awaitSleepers(kq, 1);
            assertTrue(call(kq, 4, 0, timer(round, Ev.ADD | Ev.ONESHOT, 0, 20)).isEmpty());
            List<KEvent> r = f.get(20, TimeUnit.SECONDS);
            assertEquals(round, r.get(0).ident(), "round " + round);
        }
    }

    @Test
    void aWokenSleeperReEvaluatesWhatOtherCallsLeftQueued() throws Exception {
        // Another thread's calls run while the sleeper is woken but waits for the lock: they
        // re-check two level knotes, take one, and leave the other queued for lack of room;
        // then its reader drains it. The sleeper must look again rather than trust that
        // re-check, and so return only the knote that still holds.
        int[] a = fds.pipe();
        int[] b = fds.pipe();
        TestFds.write(a[1], "x");
        TestFds.write(b[1], "y");
        Future<List<KEvent>> sleeper = blockedCall(1);
        awaitSleepers(kq, 1);
        kq.holdLockForTest(() -> {
            call(kq, 0, 0, read(a[0], Ev.ADD), read(b[0], Ev.ADD)); // wakes the sleeper; it waits for the lock
            assertEquals(2, call(kq, 2, 0).size(), "both readable, both stay queued");
            List<KEvent> one = call(kq, 1, 0);
            assertEquals(a[0], one.get(0).ident(), "A first; B is left queued");
            assertEquals(1, TestFds.read(b[0], 1), "B's reader drains it");
        });
        List<KEvent> r = sleeper.get(20, TimeUnit.SECONDS);
        assertEquals(1, r.size());
        assertEquals(a[0], r.get(0).ident(), "B no longer holds: " + r);
    }
}
