package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A kevent call first re-checks the knotes earlier calls left queued (delivered level knotes),
 * and polls epoll with a zero timeout before waiting only when one of them still holds.
 */
class PendingRecheckTest extends KqFixture {
    private static final long SHORT_WAIT = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void aLevelKnoteItsReaderDrainedCostsOnlyTheWait() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        TestFds.read(p[0], 3); // the reader drains what it was told about; the knote stays queued
        long before = kq.epollWaits();
        KEvent[] out = new KEvent[4];
        assertEquals(0, kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, SHORT_WAIT));
        assertEquals(1, kq.epollWaits() - before, "one epoll_wait: the timed one, no zero-timeout poll before it");
    }

    @Test
    void aKnoteThatStillHoldsComesBackWithTheOnesThatBecameReadyMeanwhile() {
        int[] a = fds.pipe();
        int[] b = fds.pipe();
        kq.register(read(a[0], Ev.ADD));
        kq.register(read(b[0], Ev.ADD));
        TestFds.write(a[1], "xy");
        assertEquals(a[0], one(kq).ident());
        TestFds.write(b[1], "z"); // A is still readable; B became readable meanwhile
        long before = kq.epollWaits();
        KEvent[] out = new KEvent[4];
        assertEquals(2, kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, Kev.PATIENCE_NANOS));
        assertEquals(a[0], out[0].ident(), "the queued knote first");
        assertEquals(2, out[0].data());
        assertEquals(b[0], out[1].ident());
        assertEquals(1, out[1].data());
        assertEquals(1, kq.epollWaits() - before, "the zero-timeout poll that noticed B");
    }

    @Test
    void aQueuedKnoteThatNoLongerHoldsIsNotReturned() {
        int[] a = fds.pipe();
        int[] b = fds.pipe();
        kq.register(read(a[0], Ev.ADD));
        kq.register(read(b[0], Ev.ADD));
        TestFds.write(a[1], "x");
        assertEquals(a[0], one(kq).ident());
        TestFds.read(a[0], 1);
        TestFds.write(b[1], "yz");
        KEvent[] out = new KEvent[4];
        assertEquals(1, kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, Kev.PATIENCE_NANOS));
        assertEquals(b[0], out[0].ident());
        assertEquals(2, out[0].data());
    }
}
