package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.call;
import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.timer;
import static io.reactivekq.linux.Kev.trigger;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EVFILT_TIMER: units, absolute deadlines, oneshot and periodic, counts, modification, leeway. */
class TimerFilterTest extends KqFixture {
    private static final long MS = 1_000_000L;



    /** Adds a oneshot timer and returns how long its event took to come back, in ns. */
    private long oneshotDelay(int fflags, long data) {
        long t0 = System.nanoTime();
        KEvent e = one(kq, timer(1, Ev.ADD | Ev.ONESHOT, fflags, data));
        long took = System.nanoTime() - t0;
        assertEquals(EvFilt.TIMER, e.filter());
        assertEquals(1, e.data());
        return took;
    }

    @ParameterizedTest(name = "fflags {0}, data {1}: at least {2} ms")
    @CsvSource({
        "0, 100, 80",                        // the default unit is milliseconds
        "2, 100, 80",                        // NOTE_MSECONDS
        "1, 1, 800",                         // NOTE_SECONDS
        "4, 100000, 80",                     // NOTE_USECONDS
        "8, 100000000, 80",                  // NOTE_NSECONDS
    })
    void oneshotTimerHonoursItsUnit(int fflags, long data, long atLeastMs) {
        long took = oneshotDelay(fflags, data);
        assertTrue(took >= atLeastMs * MS, "fired after " + Kev.millis(took) + " ms");
    }

    @Test
    void zeroLengthOneshotFiresAtOnceEvenWithAnInfiniteTimeout() {
        List<KEvent> r = call(kq, 4, KQueue.FOREVER, timer(1, Ev.ADD | Ev.ONESHOT, 0, 0));
        assertEquals(1, r.size());
        assertEquals(EvFilt.TIMER, r.get(0).filter());
        assertTrue(kq.knoteCounts().isEmpty(), "a delivered oneshot timer is deleted");
    }

    @Test
    void absoluteDeadlineInTheFuture() {
        long t0 = System.nanoTime();
        long at = System.currentTimeMillis() + 150;
        KEvent e = one(kq, timer(1, Ev.ADD | Ev.ONESHOT, Note.ABSOLUTE | Note.MSECONDS, at));
        long took = System.nanoTime() - t0;
        assertEquals(1, e.data());
        assertTrue(took >= 100 * MS, "fired after " + Kev.millis(took) + " ms");
    }

    @Test
    void absoluteDeadlineInSeconds() {
        long at = TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis()) + 1;
        KEvent e = one(kq, timer(1, Ev.ADD | Ev.ONESHOT, Note.ABSOLUTE | Note.SECONDS, at));
        assertEquals(1, e.data());
        assertTrue(System.currentTimeMillis() >= at * 1000 - 20, "fired before the deadline");
    }

    @Test
    void absoluteDeadlineInThePastFiresAtOnce() {
        long at = System.currentTimeMillis() - 60_000;
        List<KEvent> r = call(kq, 4, KQueue.FOREVER, timer(1, Ev.ADD, Note.ABSOLUTE, at));
        assertEquals(1, r.size());
        assertEquals(1, r.get(0).data());
    }

    @Test
    void oneshotFiresOnceAndIsDeleted() {
        assertEquals(1, one(kq, timer(1, Ev.ADD | Ev.ONESHOT, 0, 10)).data());
        assertTrue(kq.knoteCounts().isEmpty());
        assertTrue(call(kq, 4, 100 * MS).isEmpty(), "a oneshot timer fired twice");
    }

    @Test
    void periodicTimerFiresRepeatedlyWithClearImplied() {
        kq.register(timer(1, Ev.ADD, 0, 10));
        for (int i = 0; i < 3; i++) {
            KEvent e = one(kq);
            assertEquals(1, e.ident());
            assertTrue(e.data() >= 1);
            assertTrue(e.has(Ev.CLEAR), "EV_CLEAR is implied for timers");
        }
    }

    @Test
    void uncollectedPeriodicTimerReportsTheExpirationCount() throws InterruptedException {
        long t0 = System.nanoTime();
        kq.register(timer(1, Ev.ADD, 0, 10));
        Thread.sleep(120); // sets up the condition (time passing unobserved); the assertion is the count
        KEvent e = one(kq);
        long elapsed = System.nanoTime() - t0;
        assertTrue(e.data() >= 2, "data " + e.data() + " after " + Kev.millis(elapsed) + " ms");
        assertTrue(e.data() <= elapsed / (10 * MS), "data " + e.data() + " exceeds the periods in "
            + Kev.millis(elapsed) + " ms");
    }

    @Test
    void disabledPeriodicTimerAccumulatesExpirations() {
        kq.register(timer(1, Ev.ADD | Ev.DISABLE, 0, 10));
        assertTrue(call(kq, 4, 120 * MS).isEmpty(), "a disabled timer was returned");
        KEvent e = one(kq, timer(1, Ev.ENABLE, 0, 0));
        assertTrue(e.data() >= 2, "data " + e.data());
    }

    @Test
    void aDisabledTimerWithAPeriodShorterThanACallLetsTheCallerSleep() {
        // A 1 ns period is due again by every look at the clock. Waking for it would keep a
        // waiting caller in zero-timeout epoll_wait calls, the kqueue's lock held, until its
        // deadline (or for ever); a disabled timer is no reason to wake at all.
        kq.register(timer(1, Ev.ADD | Ev.DISABLE, Note.NSECONDS, 1));
        long before = kq.epollWaits();
        long t0 = System.nanoTime();
        assertTrue(call(kq, 4, 100 * MS).isEmpty(), "a disabled timer was returned");
        long waits = kq.epollWaits() - before;
        assertTrue(waits <= 3, waits + " epoll_wait calls for one wait with only a disabled timer");
        // Its expirations still counted, all of them: one per nanosecond since it was added.
        KEvent e = one(kq, timer(1, Ev.ENABLE, Note.NSECONDS, 1));
        assertTrue(e.data() >= 100 * MS, "data " + e.data() + " after " + Kev.millis(System.nanoTime() - t0) + " ms");
    }

    @Test
    void aDispatchedTimerIsNoReasonToWakeUntilReEnabled() {
        kq.register(timer(1, Ev.ADD | Ev.DISPATCH, Note.USECONDS, 100));
        // Before the first delivery: its call counts the expirations from there on.
        long t1 = System.nanoTime();
        assertEquals(1, one(kq).ident(), "the first expiration");
        long before = kq.epollWaits();
        assertTrue(call(kq, 4, 50 * MS).isEmpty(), "a dispatched timer came back before EV_ENABLE");
        long waits = kq.epollWaits() - before;
        assertTrue(waits <= 3, waits + " epoll_wait calls while the only timer was disarmed (one per period before)");
        KEvent e = one(kq, timer(1, Ev.ENABLE | Ev.DISPATCH, Note.USECONDS, 100));
        long elapsed = System.nanoTime() - t1;
        assertTrue(e.data() >= 50 * MS / (100_000) / 2, "data " + e.data() + " after " + Kev.millis(elapsed) + " ms");
        assertTrue(e.data() <= elapsed / 100_000 + 2, "data " + e.data() + " exceeds the periods in " + Kev.millis(elapsed) + " ms");
    }

    @Test
    void countResetsAfterEachDelivery() {
        kq.register(timer(1, Ev.ADD | Ev.DISABLE, 0, 10));
        assertTrue(call(kq, 4, 150 * MS).isEmpty());
        long t1 = System.nanoTime();
        long first = one(kq, timer(1, Ev.ENABLE, 0, 0)).data();
        KEvent next = one(kq);
        long t2 = System.nanoTime();
        assertTrue(first >= 10, "accumulated " + first);
        // Only expirations after the first report may count: at most one per period since t1.
        long bound = (t2 - t1) / (10 * MS) + 1;
        assertTrue(next.data() >= 1 && next.data() <= bound, "count was not reset: " + next.data() + " > " + bound);
    }

    @Test
    void readdRestartsTheTimerAndDropsUndeliveredExpirations() {
        kq.register(timer(1, Ev.ADD | Ev.DISABLE, 0, 10));
        assertTrue(call(kq, 4, 100 * MS).isEmpty());
        // Re-add with a long period while expirations are pending: they are dropped.
        kq.register(timer(1, Ev.ADD | Ev.ENABLE, Note.SECONDS, 3600));
        assertTrue(call(kq, 4, 50 * MS).isEmpty(), "expirations of the old timer were kept");
        assertEquals(1, kq.knoteCounts().get("EVFILT_TIMER"));
    }

    @Test
    void readdOfAQueuedOneshotTimerDropsItsPendingEvent() {
        // A fired oneshot timer waits on the queue behind a user event (event list of one).
        kq.register(user(9, Ev.ADD, Note.TRIGGER, 0));
        kq.register(timer(1, Ev.ADD | Ev.ONESHOT, 0, 0));
        List<KEvent> first = call(kq, 1, 0);
        assertEquals(1, first.size());
        kq.register(user(9, Ev.DELETE));
        // Whatever was not returned yet, re-adding the timer with a long period drops it.
        kq.register(timer(1, Ev.ADD | Ev.ONESHOT, Note.SECONDS, 3600));
        List<KEvent> r = call(kq, 4, 50 * MS);
        assertTrue(r.isEmpty(), "the restarted timer reported the old expiration: " + r);
    }

    @Test
    void readdWithAShorterPeriodTakesEffect() {
        kq.register(timer(1, Ev.ADD, Note.SECONDS, 3600));
        kq.register(timer(1, Ev.ADD, 0, 20));
        KEvent e = one(kq);
        assertEquals(1, e.ident());
    }

    @Test
    void deleteStopsTheTimer() {
        kq.register(timer(1, Ev.ADD, 0, 10));
        kq.register(timer(1, Ev.DELETE, 0, 0));
        assertTrue(call(kq, 4, 60 * MS).isEmpty());
        assertTrue(kq.knoteCounts().isEmpty());
    }

    @Test
    void thousandTimersUseOneStructureNoFdsNoThreads() {
        int fdsBefore = TestFds.openFdCount();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        KEvent[] adds = new KEvent[1000];
        for (int i = 0; i < adds.length; i++) adds[i] = timer(i, Ev.ADD | Ev.ONESHOT, 0, 20 + i % 10);
        kq.register(adds);
        assertEquals(fdsBefore, TestFds.openFdCount(), "timers opened fds");
        Set<Long> fired = new HashSet<>();
        long end = System.nanoTime() + Kev.PATIENCE_NANOS;
        while (fired.size() < 1000 && System.nanoTime() - end < 0) {
            for (KEvent e : call(kq, 256, 500 * MS)) assertTrue(fired.add(e.ident()), "twice: " + e);
        }
        assertEquals(1000, fired.size());
        // The JVM may start a housekeeping thread of its own meanwhile; a thread per timer, or
        // any thread running reactive-kq code, would show here.
        Map<Thread, StackTraceElement[]> now = Thread.getAllStackTraces();
        Set<Thread> started = new HashSet<>(now.keySet());
        started.removeAll(threadsBefore);
        assertTrue(started.size() < 10, "timers started threads: " + started);
        for (Thread t : started) {
            for (StackTraceElement f : now.get(t)) {
                assertTrue(!f.getClassName().startsWith("io.reactivekq."), "a timer thread: " + t);
            }
        }
        assertEquals(fdsBefore, TestFds.openFdCount());
    }

    @Test
    void leewayLetsAnEarlierTimerShareALaterWakeup() {
        long t0 = System.nanoTime();
        // Timer 1 is due at 50 ms but may be 400 ms late; timer 2 is due at 250 ms exactly.
        KEvent lazy = new KEvent(1, EvFilt.TIMER, Ev.ADD | Ev.ONESHOT, Note.LEEWAY, 50, 0, 0, 400 * MS);
        List<KEvent> r = call(kq, 4, KQueue.FOREVER, lazy, timer(2, Ev.ADD | Ev.ONESHOT, 0, 250));
        long took = System.nanoTime() - t0;
        assertEquals(2, r.size(), "both timers in one wakeup: " + r);
        assertTrue(took >= 200 * MS, "woke after " + Kev.millis(took) + " ms");
        KEvent first = r.stream().filter(e -> e.ident() == 1).findFirst().orElseThrow();
        assertEquals(400 * MS, first.ext1(), "ext1 keeps the leeway");
    }

    @Test
    void negativeLeewayIsEinval() {
        KEvent bad = new KEvent(1, EvFilt.TIMER, Ev.ADD, Note.LEEWAY, 10, 0, 0, -1);
        assertEquals(Errno.EINVAL.number(), Kev.errorOf(kq, bad).data());
        assertTrue(kq.knoteCounts().isEmpty());
    }

    @Test
    void timerUdataAndIdentAreCarried() {
        KEvent e = one(kq, KEvent.of(77, EvFilt.TIMER, Ev.ADD | Ev.ONESHOT, 0, 1, 0x5eed));
        assertEquals(77, e.ident());
        assertEquals(0x5eed, e.udata());
    }

    @Test
    void busyPeriodicTimerDoesNotHideOtherKnotes() {
        kq.register(timer(1, Ev.ADD, 0, 1));
        kq.register(user(2, Ev.ADD | Ev.CLEAR));
        assertEquals(EvFilt.TIMER, Kev.awaitEvent(kq, e -> true).filter());
        kq.register(trigger(2));
        List<KEvent> r = call(kq, 1, 0);
        List<KEvent> r2 = call(kq, 1, 0);
        r.addAll(r2);
        assertTrue(r.stream().anyMatch(e -> e.filter() == EvFilt.USER), "user event starved by the timer: " + r);
    }
}
