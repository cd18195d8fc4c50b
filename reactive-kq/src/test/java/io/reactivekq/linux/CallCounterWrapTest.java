package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kevent call counter is an int that wraps: a knote's freshness (the call in which it was
 * last evaluated active, which lets the scan skip its re-check) must not survive the wrap and
 * match a later call with the same number. The test hook jumps the counter ahead in place of
 * the 2^32 calls that a real lap takes.
 */
class CallCounterWrapTest extends KqFixture {
    @Test
    void freshnessFromBeforeTheWrapIsNotTakenForTheSameNumberAfterIt() {
        int[] p = fds.pipe();
        TestFds.write(p[1], "x");
        kq.setNextCallForTest(-1);
        kq.register(read(p[0], Ev.ADD)); // call -1: evaluated active and queued, no scan
        assertEquals(1, TestFds.read(p[0], 16)); // no longer readable
        kq.register(user(9, Ev.ADD)); // the call that wraps the counter
        kq.setNextCallForTest(-1); // a lap of change-only calls later: -1 again
        List<KEvent> r = poll(kq);
        assertTrue(r.isEmpty(), () -> "a drained pipe was delivered on stale freshness: " + r);
    }

    @Test
    void levelTriggeredKnoteKeepsBeingDeliveredAcrossTheWrap() {
        int[] p = fds.pipe();
        TestFds.write(p[1], "abc");
        kq.setNextCallForTest(-2);
        assertEquals(3, one(kq, read(p[0], Ev.ADD)).data()); // call -2
        assertEquals(3, one(kq).data()); // call -1
        assertEquals(3, one(kq).data()); // wraps: re-checked, still readable
        TestFds.write(p[1], "de");
        assertEquals(5, one(kq).data());
        assertEquals(5, TestFds.read(p[0], 16));
        assertTrue(poll(kq).isEmpty(), "a drained pipe was delivered after the wrap");
    }
}
