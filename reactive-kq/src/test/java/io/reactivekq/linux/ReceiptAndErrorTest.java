package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.assertUserWorks;
import static io.reactivekq.linux.Kev.call;
import static io.reactivekq.linux.Kev.errorOf;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.registerFails;
import static io.reactivekq.linux.Kev.timer;
import static io.reactivekq.linux.Kev.trigger;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EV_RECEIPT, change errors as EV_ERROR events or exceptions, and bad input of every kind. */
class ReceiptAndErrorTest extends KqFixture {
    private static final int NOT_AN_FD = 1 << 20;



    @Test
    void receiptsReturnAtOnceEvenWithAnInfiniteTimeout() {
        List<KEvent> r = call(kq, 8, KQueue.FOREVER, user(1, Ev.ADD | Ev.RECEIPT), user(2, Ev.ADD | Ev.RECEIPT));
        assertEquals(2, r.size());
        for (KEvent e : r) {
            assertEquals(Ev.ERROR, e.flags());
            assertEquals(0, e.data(), "a successful receipt carries data 0");
        }
        assertEquals(Map.of("EVFILT_USER", 2), kq.knoteCounts());
    }

    @Test
    void changeErrorReturnsAtOnceAsEvErrorEventWithErrno() {
        long t0 = System.nanoTime();
        List<KEvent> r = call(kq, 8, KQueue.FOREVER, read(NOT_AN_FD, Ev.ADD));
        assertTrue(System.nanoTime() - t0 < Kev.PATIENCE_NANOS);
        assertEquals(1, r.size());
        KEvent e = r.get(0);
        assertEquals(Ev.ERROR, e.flags());
        assertEquals(Errno.EBADF.number(), e.data());
        assertEquals(NOT_AN_FD, e.ident());
        assertEquals(EvFilt.READ, e.filter());
        assertTrue(e.isError());
    }

    @Test
    void errorEventKeepsTheChangesUdata() {
        KEvent e = errorOf(kq, KEvent.of(5, EvFilt.USER, Ev.DELETE, 0, 0, 0xfeed));
        assertEquals(0xfeed, e.udata());
        assertEquals(Errno.ENOENT.number(), e.data());
    }

    @Test
    void changeErrorWithoutRoomThrowsAndEarlierChangesStayApplied() {
        KqException ex = assertThrows(KqException.class,
            () -> kq.register(user(1, Ev.ADD | Ev.CLEAR), read(NOT_AN_FD, Ev.ADD)));
        assertEquals(Errno.EBADF.number(), ex.errno());
        assertEquals(NOT_AN_FD, ex.ident());
        assertEquals(Map.of("EVFILT_USER", 1), kq.knoteCounts());
    }

    @Test
    void failingChangeInTheMiddleDoesNotStopLaterChanges() {
        List<KEvent> r = call(kq, 8, 0, user(1, Ev.ADD), user(99, Ev.ENABLE), user(2, Ev.ADD | Ev.RECEIPT));
        assertEquals(2, r.size(), r::toString);
        assertEquals(99, r.get(0).ident());
        assertEquals(Errno.ENOENT.number(), r.get(0).data());
        assertEquals(2, r.get(1).ident());
        assertEquals(0, r.get(1).data());
        assertEquals(Map.of("EVFILT_USER", 2), kq.knoteCounts());
    }

    @Test
    void receiptsFillTheListAndNoPendingEventIsLost() {
        kq.register(user(7, Ev.ADD | Ev.CLEAR, Note.TRIGGER, 0));
        List<KEvent> r = call(kq, 8, 0, user(8, Ev.ADD | Ev.RECEIPT));
        assertEquals(1, r.size(), "a call with receipts returns the receipts only");
        assertEquals(8, r.get(0).ident());
        List<KEvent> next = poll(kq);
        assertEquals(1, next.size());
        assertEquals(7, next.get(0).ident());
    }

    @Test
    void invalidFdIsEbadfAndOthersKeepWorking() {
        assertEquals(Errno.EBADF.number(), errorOf(kq, read(NOT_AN_FD, Ev.ADD)).data());
        assertEquals(Errno.EBADF.number(), errorOf(kq, Kev.write(-1, Ev.ADD)).data());
        assertEquals(Errno.EBADF.number(), errorOf(kq, read(1L << 40, Ev.ADD)).data());
        assertUserWorks(kq, 1);
    }

    @Test
    void fdThatWasClosedIsEbadf() {
        int[] p = fds.pipe();
        fds.closeNow(p[0]);
        assertEquals(Errno.EBADF.number(), errorOf(kq, read(p[0], Ev.ADD)).data());
        assertUserWorks(kq, 1);
    }

    @Test
    void unknownFilterIsEinval() {
        assertEquals(Errno.EINVAL.number(), errorOf(kq, KEvent.of(1, (short) -40, Ev.ADD)).data());
        assertEquals(Errno.EINVAL.number(), errorOf(kq, KEvent.of(1, (short) 3, Ev.ADD)).data());
        assertEquals(Errno.EINVAL.number(), errorOf(kq, KEvent.of(1, (short) 0, Ev.ADD)).data());
        assertUserWorks(kq, 1);
    }

    @Test
    void contradictoryOrUnknownFlagsAreEinval() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        assertEquals(Errno.EINVAL.number(), errorOf(kq, user(2, Ev.ADD | Ev.DELETE)).data());
        assertEquals(Errno.EINVAL.number(), errorOf(kq, user(1, Ev.ENABLE | Ev.DISABLE)).data());
        assertEquals(Errno.EINVAL.number(), errorOf(kq, user(2, Ev.ADD | 0x1000)).data());
        assertEquals(Map.of("EVFILT_USER", 1), kq.knoteCounts(), "failed changes must not add or remove knotes");
        assertEquals(1, Kev.one(kq, trigger(1)).ident(), "the existing knote is untouched");
    }

    @Test
    void outputOnlyFlagsInAChangeAreIgnoredAsInBsd() {
        // A delivered event fed back as a change (flags changed, EV_EOF still set) must work.
        List<KEvent> r = poll(kq, user(1, Ev.ADD | Ev.CLEAR | Ev.EOF | Ev.ERROR | Ev.RECEIPT));
        assertEquals(1, r.size());
        assertEquals(0, r.get(0).data(), r::toString);
        assertEquals(1, Kev.one(kq, trigger(1)).ident());
    }

    @Test
    void deleteOfAMissingKnoteIsEnoent() {
        assertEquals(Errno.ENOENT.number(), errorOf(kq, user(1, Ev.DELETE)).data());
        int[] p = fds.pipe();
        assertEquals(Errno.ENOENT.number(), errorOf(kq, read(p[0], Ev.DELETE)).data());
        assertUserWorks(kq, 1);
    }

    @Test
    void enableOrDisableOfAMissingKnoteIsEnoent() {
        assertEquals(Errno.ENOENT.number(), errorOf(kq, user(1, Ev.ENABLE)).data());
        assertEquals(Errno.ENOENT.number(), errorOf(kq, user(1, Ev.DISABLE)).data());
        assertEquals(Errno.ENOENT.number(), errorOf(kq, trigger(1)).data());
        assertTrue(kq.knoteCounts().isEmpty());
        assertUserWorks(kq, 1);
    }

    @Test
    void negativeTimerPeriodIsEinvalAndAddsNoKnote() {
        assertEquals(Errno.EINVAL.number(), errorOf(kq, timer(1, Ev.ADD, 0, -5)).data());
        assertEquals(Errno.EINVAL.number(), errorOf(kq, timer(2, Ev.ADD, Note.SECONDS | Note.MSECONDS, 5)).data());
        assertEquals(Errno.EINVAL.number(), errorOf(kq, timer(3, Ev.ADD, 0x400, 5)).data());
        assertTrue(kq.knoteCounts().isEmpty());
        assertUserWorks(kq, 1);
    }

    @Test
    void badTimerModificationKeepsTheRunningTimer() {
        kq.register(timer(1, Ev.ADD, 0, 20));
        assertEquals(Errno.EINVAL.number(), errorOf(kq, timer(1, Ev.ADD, 0, -1)).data());
        KEvent e = Kev.one(kq);
        assertEquals(EvFilt.TIMER, e.filter());
        assertTrue(e.data() >= 1);
    }

    @Test
    void errorsInTheErrorListDoNotDisturbOtherKnotes() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD), user(1, Ev.ADD | Ev.CLEAR));
        TestFds.write(p[1], "hi");
        List<KEvent> errs = call(kq, 8, 0, read(NOT_AN_FD, Ev.ADD), user(2, Ev.DELETE),
            KEvent.of(1, (short) -40, Ev.ADD), timer(3, Ev.ADD, 0, -1));
        assertEquals(4, errs.size(), errs::toString);
        assertTrue(errs.stream().allMatch(KEvent::isError));
        List<KEvent> r = call(kq, 8, 0, trigger(1));
        assertEquals(2, r.size(), r::toString);
        assertTrue(r.stream().anyMatch(e -> e.filter() == EvFilt.READ && e.data() == 2));
        assertTrue(r.stream().anyMatch(e -> e.filter() == EvFilt.USER && e.ident() == 1));
    }

    @Test
    void exceptionNamesErrnoCallAndIdent() {
        KqException e = registerFails(kq, read(NOT_AN_FD, Ev.ADD));
        assertEquals("EBADF", e.errnoName());
        assertEquals(Errno.EBADF, e.errnoConstant());
        assertTrue(e.getMessage().startsWith("EBADF"), e.getMessage());
        assertTrue(e.getMessage().contains("EVFILT_READ"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(NOT_AN_FD)), e.getMessage());
        assertTrue(e.call().contains("EV_ADD"), e.call());
    }

    @Test
    void badArrayBoundsAreEinval() {
        KEvent[] out = new KEvent[2];
        KqException e = assertThrows(KqException.class, () -> kq.kevent(new KEvent[1], 2, out, 2, 0));
        assertEquals(Errno.EINVAL.number(), e.errno());
        e = assertThrows(KqException.class, () -> kq.kevent(new KEvent[0], 0, out, 3, 0));
        assertEquals(Errno.EINVAL.number(), e.errno());
        assertUserWorks(kq, 1);
    }

    @Test
    void errorAfterReceiptsFilledTheListThrows() {
        KEvent[] out = new KEvent[1];
        KEvent[] changes = {user(1, Ev.ADD | Ev.RECEIPT), user(2, Ev.DELETE)};
        KqException e = assertThrows(KqException.class, () -> kq.kevent(changes, 2, out, 1, 0));
        assertEquals(Errno.ENOENT.number(), e.errno());
        assertEquals(1, out[0].ident(), "the receipt that fitted was written");
        assertEquals(Map.of("EVFILT_USER", 1), kq.knoteCounts());
    }

    @Test
    void fdThatEpollCannotWatchGetsAClearErrorAndAddsNoKnote() {
        int devNull = fds.open(new File("/dev/null"), LinuxSys.O_RDONLY);
        KEvent e = errorOf(kq, read(devNull, Ev.ADD));
        assertEquals(Errno.EPERM.number(), e.data(), e::toString);
        assertTrue(kq.knoteCounts().isEmpty());
        assertUserWorks(kq, 1);
    }
}
