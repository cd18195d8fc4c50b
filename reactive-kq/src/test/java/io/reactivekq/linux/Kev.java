package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Shorthands for the conformance tests: build changes, run one kevent call, wait (bounded)
 * for an event. Every wait has a generous deadline that only matters when a test fails.
 */
final class Kev {
    private Kev() {}

    /** How long a test waits for something that should happen (only reached on failure). */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(20);

    static KEvent user(long id, int flags) {
        return KEvent.of(id, EvFilt.USER, flags);
    }

    static KEvent user(long id, int flags, int fflags, long data) {
        return KEvent.of(id, EvFilt.USER, flags, fflags, data, 0);
    }

    static KEvent trigger(long id) {
        return KEvent.of(id, EvFilt.USER, 0, Note.TRIGGER, 0, 0);
    }

    static KEvent read(long fd, int flags) {
        return KEvent.of(fd, EvFilt.READ, flags);
    }

    static KEvent write(long fd, int flags) {
        return KEvent.of(fd, EvFilt.WRITE, flags);
    }

    static KEvent timer(long id, int flags, int fflags, long data) {
        return KEvent.of(id, EvFilt.TIMER, flags, fflags, data, 0);
    }

    /** One kevent call with the given changes: the events it returned. */
    static List<KEvent> call(KQueue kq, int nevents, long timeoutNanos, KEvent... changes) {
        KEvent[] out = new KEvent[nevents];
        int n = kq.kevent(changes, changes.length, out, nevents, timeoutNanos);
        return new ArrayList<>(Arrays.asList(out).subList(0, n));
    }

    /** A poll (zero timeout) for up to 64 events. */
    static List<KEvent> poll(KQueue kq, KEvent... changes) {
        return call(kq, 64, 0, changes);
    }

    /** One call that must return exactly one event, waiting up to the test patience. */
    static KEvent one(KQueue kq, KEvent... changes) {
        List<KEvent> got = call(kq, 8, PATIENCE_NANOS, changes);
        assertEquals(1, got.size(), () -> "expected one event, got " + got);
        return got.get(0);
    }

    /** Calls kevent (bounded waits) until an event matching {@code p} comes back; returns it. */
    static KEvent awaitEvent(KQueue kq, Predicate<KEvent> p) {
        long end = System.nanoTime() + PATIENCE_NANOS;
        List<KEvent> seen = new ArrayList<>();
        while (System.nanoTime() - end < 0) {
            for (KEvent e : call(kq, 16, TimeUnit.MILLISECONDS.toNanos(200))) {
                if (p.test(e)) return e;
                if (seen.size() < 20) seen.add(e);
            }
        }
        return fail("no matching event within the patience; saw " + seen);
    }

    /** Calls kevent (bounded waits) until each predicate has matched some event; returns the matches in order. */
    @SafeVarargs
    static List<KEvent> awaitEach(KQueue kq, Predicate<KEvent>... wanted) {
        KEvent[] found = new KEvent[wanted.length];
        int missing = wanted.length;
        List<KEvent> seen = new ArrayList<>();
        long end = System.nanoTime() + PATIENCE_NANOS;
        while (missing > 0 && System.nanoTime() - end < 0) {
            for (KEvent e : call(kq, 16, TimeUnit.MILLISECONDS.toNanos(200))) {
                if (seen.size() < 20) seen.add(e);
                for (int i = 0; i < wanted.length; i++) {
                    if (found[i] == null && wanted[i].test(e)) {
                        found[i] = e;
                        missing--;
                    }
                }
            }
        }
        if (missing > 0) fail("not every expected event came within the patience; saw " + seen);
        return Arrays.asList(found);
    }

    /** The EV_ERROR event a single failing change produces (reported in the event list). */
    static KEvent errorOf(KQueue kq, KEvent change) {
        List<KEvent> got = call(kq, 4, PATIENCE_NANOS, change);
        assertEquals(1, got.size(), () -> "expected one EV_ERROR event, got " + got);
        KEvent e = got.get(0);
        assertTrue(e.has(Ev.ERROR), () -> "not an EV_ERROR event: " + e);
        return e;
    }

    /** Runs a register that must fail; returns the exception. */
    static KqException registerFails(KQueue kq, KEvent change) {
        try {
            kq.register(change);
        } catch (KqException e) {
            return e;
        }
        return fail("register did not fail: " + change);
    }

    /** Asserts a USER knote {@code id} still works: a trigger comes back at once. */
    static void assertUserWorks(KQueue kq, long id) {
        kq.register(user(id, Ev.ADD | Ev.CLEAR));
        KEvent e = one(kq, trigger(id));
        assertEquals(id, e.ident());
        assertEquals(EvFilt.USER, e.filter());
        assertTrue(poll(kq).isEmpty(), "EV_CLEAR user knote returned twice");
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
