package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import org.junit.jupiter.api.Test;

/** KEvent.toString names filters, flags and notes, and errno for EV_ERROR. */
class KEventFormatTest {

    @Test
    void userEventNamesFlagsAndNotes() {
        KEvent e = KEvent.of(7, EvFilt.USER, Ev.ADD | Ev.CLEAR, Note.TRIGGER | Note.FFOR | 0x3, 42, 0xbeef);
        assertEquals("KEvent{ident=7, filter=EVFILT_USER, flags=EV_ADD|EV_CLEAR, "
            + "fflags=NOTE_TRIGGER|NOTE_FFOR|0x3, data=42, udata=0xbeef}", e.toString());
    }

    @Test
    void errorEventNamesTheErrno() {
        KEvent e = KEvent.of(9, EvFilt.READ, Ev.ERROR, 0, Errno.EBADF.number(), 0);
        assertEquals("KEvent{ident=9, filter=EVFILT_READ, flags=EV_ERROR, fflags=0, data=EBADF(9)}", e.toString());
        assertEquals("KEvent{ident=9, filter=EVFILT_READ, flags=EV_ERROR, fflags=0, data=0}",
            KEvent.of(9, EvFilt.READ, Ev.ERROR).toString(), "a receipt shows data 0");
    }

    @Test
    void timerVnodeAndProcNotesAndExtensionWords() {
        KEvent t = new KEvent(1, EvFilt.TIMER, Ev.ONESHOT | Ev.CLEAR, Note.USECONDS | Note.LEEWAY, 3, 0, 0, 500);
        assertEquals("KEvent{ident=1, filter=EVFILT_TIMER, flags=EV_ONESHOT|EV_CLEAR, "
            + "fflags=NOTE_USECONDS|NOTE_LEEWAY, data=3, ext=[0, 500]}", t.toString());
        assertEquals("NOTE_DELETE|NOTE_RENAME", Note.names(EvFilt.VNODE, Note.DELETE | Note.RENAME));
        assertEquals("NOTE_EXIT|NOTE_FORK", Note.names(EvFilt.PROC, Note.EXIT | Note.FORK));
    }

    @Test
    void userEventWithoutFflagsPrintsZeroLikeOtherFilters() {
        assertEquals("KEvent{ident=1, filter=EVFILT_USER, flags=EV_ERROR, fflags=0, data=ENOENT(2)}",
            KEvent.of(1, EvFilt.USER, Ev.ERROR, 0, Errno.ENOENT.number(), 0).toString());
        assertEquals("NOTE_FFCOPY|0x7", Note.names(EvFilt.USER, Note.FFCOPY | 7));
    }

    @Test
    void unknownBitsAndFiltersStayVisible() {
        assertEquals("EV_EOF|0x1000", Ev.names(Ev.EOF | 0x1000));
        assertEquals("0", Ev.names(0));
        assertEquals("EVFILT(-40)", EvFilt.name((short) -40));
        assertEquals("EV_RECEIPT|EV_DISPATCH", Ev.names(Ev.DISPATCH | Ev.RECEIPT));
    }

    @Test
    void deliveredEventPrintsReadably() {
        try (LinuxKQueue kq = LinuxKQueue.open()) {
            KEvent e = Kev.one(kq, KEvent.of(3, EvFilt.USER, Ev.ADD | Ev.ONESHOT, Note.TRIGGER | 0x10, 0, 0));
            assertEquals("KEvent{ident=3, filter=EVFILT_USER, flags=EV_ONESHOT, fflags=0x10, data=0}", e.toString());
        }
    }
}
