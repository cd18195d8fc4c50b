package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber handed an event with the same fields as its last one gets that instance again
 * (no allocation per event); any difference, the extension words included, is a new event,
 * and what coalesces in the slot keeps the extension words of the last event folded in.
 */
class SlotReuseTest {
    private static final long FD = 11;

    private final ScriptedKQueue kq = new ScriptedKQueue();
    private final Poller poller = Poller.start("kq-slot-reuse-test", kq, 16);

    @AfterEach
    void close() {
        poller.close();
    }

    private void flush() throws Exception {
        poller.afterFlush(() -> null).get(20, TimeUnit.SECONDS);
    }

    private Subs vnode(long request) throws Exception {
        Subs s = new Subs(request);
        poller.subscribe(Interest.of(EvFilt.VNODE, FD, 0, Note.WRITE | Note.ATTRIB, 0, 0), s);
        flush();
        return s;
    }

    @Test
    void theSameEventAgainIsTheSameInstanceAndAnyChangeIsANewOne() throws Exception {
        Subs s = vnode(Long.MAX_VALUE);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 3, 4);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 3, 4);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 5, 6);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.ATTRIB, 0, 5, 6);
        s.awaitEvents(4);
        KEvent first = s.events.get(0);
        assertEquals(new KEvent(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 0, 3, 4), first, "udata is the poller's own");
        assertSame(first, s.events.get(1));
        KEvent otherExt = s.events.get(2);
        assertNotSame(first, otherExt);
        assertEquals(new KEvent(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 0, 5, 6), otherExt);
        assertEquals(new KEvent(FD, EvFilt.VNODE, Ev.CLEAR, Note.ATTRIB, 0, 0, 5, 6), s.events.get(3));
        assertEquals(new KEvent(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 0, 3, 4), first, "a handed-out event never changes");
    }

    @Test
    void eventsFoldedWithoutDemandCarryTheLastOnesExtensionWords() throws Exception {
        Subs s = vnode(1);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 3, 4);
        s.awaitEvents(1);
        // No demand now: the next three fold into the slot (notes OR, last extension words).
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 7, 8);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.ATTRIB, 0, 9, 10);
        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0, 9, 10);
        // The first barrier's turn may collect the pushed events after the barrier ran; the
        // second's turn comes after the turn that routed them.
        flush();
        flush();
        assertEquals(1, s.events.size(), "no demand, no event");
        s.subscription.request(1);
        s.awaitEvents(2);
        assertEquals(new KEvent(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE | Note.ATTRIB, 0, 0, 9, 10), s.events.get(1));
    }
}
