package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.call;
import static io.reactivekq.linux.Kev.read;
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
import org.junit.jupiter.api.Test;

/** More events ready than asked for: the rest come in later calls, none lost, none starved. */
class FairnessTest extends KqFixture {
    @Test
    void oneshotEventsBeyondTheListComeInLaterCallsNoneLost() {
        for (int i = 0; i < 10; i++) kq.register(user(i, Ev.ADD | Ev.ONESHOT, Note.TRIGGER, 0));
        List<Integer> sizes = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int c = 0; c < 4; c++) {
            List<KEvent> r = call(kq, 3, 0);
            sizes.add(r.size());
            for (KEvent e : r) assertTrue(seen.add(e.ident()), "twice: " + e);
        }
        assertEquals(List.of(3, 3, 3, 1), sizes);
        assertEquals(10, seen.size());
        assertTrue(call(kq, 3, 0).isEmpty());
    }

    @Test
    void levelTriggeredKnotesRotateSoEveryOneIsSeen() {
        for (int i = 0; i < 10; i++) kq.register(user(i, Ev.ADD, Note.TRIGGER, 0));
        Set<Long> seen = new HashSet<>();
        for (int c = 0; c < 4; c++) for (KEvent e : call(kq, 3, 0)) seen.add(e.ident());
        assertEquals(10, seen.size(), "starved: seen only " + seen);
    }

    @Test
    void levelTriggeredKnotesAreReturnedInRoundRobinOrder() {
        for (int i = 0; i < 5; i++) kq.register(user(i, Ev.ADD, Note.TRIGGER, 0));
        List<Long> order = new ArrayList<>();
        for (int c = 0; c < 10; c++) for (KEvent e : call(kq, 1, 0)) order.add(e.ident());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 0L, 1L, 2L, 3L, 4L), order);
    }

    @Test
    void anAlwaysReadyFdDoesNotStarveANewlyReadyOne() {
        int[] busy = fds.pipe();
        int[] quiet = fds.pipe();
        kq.register(read(busy[0], Ev.ADD), read(quiet[0], Ev.ADD));
        TestFds.write(busy[1], "always");
        for (int i = 0; i < 5; i++) assertEquals(busy[0], call(kq, 1, KQueue.FOREVER).get(0).ident());
        TestFds.write(quiet[1], "now");
        Set<Long> next = new HashSet<>();
        for (int i = 0; i < 2; i++) next.add(call(kq, 1, KQueue.FOREVER).get(0).ident());
        assertTrue(next.contains((long) quiet[0]), "newly ready fd starved: " + next);
    }

    @Test
    void aTriggerDuringABusyStreamIsDeliveredWithinOneRound() {
        for (int i = 0; i < 4; i++) kq.register(user(i, Ev.ADD, Note.TRIGGER, 0));
        kq.register(user(100, Ev.ADD | Ev.CLEAR));
        call(kq, 2, 0);
        kq.register(trigger(100));
        Set<Long> seen = new HashSet<>();
        for (int c = 0; c < 3; c++) for (KEvent e : call(kq, 2, 0)) seen.add(e.ident());
        assertTrue(seen.contains(100L), "trigger starved by level-triggered knotes: " + seen);
    }

    @Test
    void clearKnotesBeyondTheListKeepTheirAccumulatedState() {
        for (int i = 0; i < 6; i++) kq.register(user(i, Ev.ADD | Ev.CLEAR));
        for (int i = 0; i < 6; i++) kq.register(user(i, 0, Note.TRIGGER | Note.FFOR | (1 << i), i * 10));
        List<KEvent> all = new ArrayList<>();
        for (int c = 0; c < 3; c++) all.addAll(call(kq, 2, 0));
        assertEquals(6, all.size());
        for (KEvent e : all) {
            assertEquals(1 << e.ident(), e.fflags());
            assertEquals(e.ident() * 10, e.data());
        }
        assertTrue(call(kq, 8, 0).isEmpty());
    }

    @Test
    void manyReadyPipesAreAllReportedAcrossSmallLists() {
        int n = 40;
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            int[] p = fds.pipe();
            kq.register(read(p[0], Ev.ADD | Ev.DISPATCH));
            TestFds.write(p[1], "x");
            expected.add((long) p[0]);
        }
        Set<Long> seen = new HashSet<>();
        for (int c = 0; c < n / 4; c++) {
            for (KEvent e : call(kq, 4, 0)) {
                assertEquals(EvFilt.READ, e.filter());
                assertTrue(seen.add(e.ident()), "dispatched knote returned twice: " + e);
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    void aTimerDueAtEveryCallDoesNotHideFdEvents() {
        // A 1 ns periodic timer has expired again by every call, so a call can always return
        // it without asking epoll: the pipe's data, which only epoll knows of, must still come.
        kq.register(Kev.timer(1, Ev.ADD, Note.NSECONDS, 1));
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "x");
        boolean sawRead = false;
        for (int c = 0; c < 2 && !sawRead; c++) {
            for (KEvent e : call(kq, 8, Kev.PATIENCE_NANOS)) sawRead |= e.filter() == EvFilt.READ;
        }
        assertTrue(sawRead, "two calls returned only the timer: the READ event was starved");
    }

    @Test
    void aTimeoutThatPassesBeforeTheFirstLookStillLooksAtEpollOnce() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "x"); // known to epoll only
        List<KEvent> got = call(kq, 8, 1); // 1 ns: over before the call gets to its wait
        assertEquals(1, got.size(), "a call whose deadline passed returned without looking: " + got);
        assertEquals(EvFilt.READ, got.getFirst().filter());
    }

    @Test
    void onceEpollWasPolledAgainCallsWaitWithOneEpollWaitEach() {
        // A one-shot timer due at once makes a call return without epoll; the next call makes
        // up for it with a zero-timeout poll, and calls after that are back to one wait each.
        kq.register(Kev.timer(1, Ev.ADD | Ev.ONESHOT, Note.NSECONDS, 1));
        assertEquals(EvFilt.TIMER, call(kq, 8, Kev.PATIENCE_NANOS).getFirst().filter());
        long shortWait = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
        long before = kq.epollWaits();
        assertTrue(call(kq, 8, shortWait).isEmpty());
        assertEquals(2, kq.epollWaits() - before, "the make-up poll, then the timed wait");
        before = kq.epollWaits();
        assertTrue(call(kq, 8, shortWait).isEmpty());
        assertEquals(1, kq.epollWaits() - before, "the next call only waits");
    }
}
