package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mux notes, final events, receipt errors and poller failure, against a scripted kqueue. */
class MuxNoteTest {
    private static final long FD = 7;
    private static final int FINAL = Note.DELETE | Note.REVOKE;

    private final ScriptedKQueue kq = new ScriptedKQueue();
    private final Poller poller = Poller.start("kq-mux-test", kq, 16);

    @AfterEach
    void close() {
        poller.close();
    }

    private void flush() throws Exception {
        poller.afterFlush(() -> null).get(20, TimeUnit.SECONDS);
    }

    private Subs vnode(int notes, long request) {
        Subs s = new Subs(request);
        poller.subscribe(Interest.of(EvFilt.VNODE, FD, 0, notes, 0, 0), s);
        return s;
    }

    @Test
    void sharedKnoteRegistersTheUnionAndHandsEachSubscriberItsOwnNotes() throws Exception {
        Subs writes = vnode(Note.WRITE, Long.MAX_VALUE);
        Subs attribs = vnode(Note.ATTRIB, Long.MAX_VALUE);
        flush();
        List<KEvent> ch = kq.changesOf(FD);
        assertEquals(1, ch.stream().filter(c -> c.has(Ev.ADD)).count(), "one knote for both: " + ch);
        assertEquals(Note.WRITE | Note.ATTRIB | FINAL, ch.getLast().fflags(), "union of fflags: " + ch);
        assertEquals(1, poller.knoteCount().get(20, TimeUnit.SECONDS));

        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE | Note.ATTRIB, 0);
        writes.awaitEvents(1);
        attribs.awaitEvents(1);
        assertEquals(Note.WRITE, writes.events.getFirst().fflags());
        assertEquals(Note.ATTRIB, attribs.events.getFirst().fflags());

        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0);
        writes.awaitEvents(2);
        flush();
        assertEquals(1, attribs.events.size(), "a note nobody of attribs asked for is not delivered to it");
    }

    @Test
    void procNotesOfAJoiningSubscriberAreAddedWhateverTheirBits() throws Exception {
        // NOTE_EXEC shares its bit with READ/WRITE's NOTE_READINESS: the union must keep it.
        Subs exits = new Subs(Long.MAX_VALUE);
        poller.subscribe(Interest.of(EvFilt.PROC, FD, 0, Note.EXIT, 0, 0), exits);
        flush();
        Subs execs = new Subs(Long.MAX_VALUE);
        poller.subscribe(Interest.of(EvFilt.PROC, FD, 0, Note.EXEC, 0, 0), execs);
        flush();
        List<KEvent> ch = kq.changesOf(FD);
        assertEquals(Note.EXIT | Note.EXEC, ch.getLast().fflags(), "the joining subscriber's NOTE_EXEC: " + ch);
    }

    @Test
    void subscriberWithoutDemandCoalescesInItsSlotWhileTheOtherIsServed() throws Exception {
        Subs eager = vnode(Note.WRITE | Note.EXTEND, Long.MAX_VALUE);
        Subs idle = vnode(Note.WRITE | Note.EXTEND, 0);
        flush();
        KEvent add = kq.changesOf(FD).getFirst();
        assertTrue(!add.has(Ev.DISABLE), "armed: one subscriber has demand");
        kq.push(FD, EvFilt.VNODE, 0, Note.WRITE, 0);
        eager.awaitEvents(1);
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.ENABLE), "re-armed for the eager subscriber");
        kq.push(FD, EvFilt.VNODE, 0, Note.EXTEND, 0);
        eager.awaitEvents(2);
        flush();
        assertEquals(0, idle.events.size());
        idle.subscription.request(1);
        idle.awaitEvents(1);
        assertEquals(Note.WRITE | Note.EXTEND, idle.events.getFirst().fflags(), "the slot ORs the notes");
        flush();
        assertEquals(1, idle.events.size());
    }

    @Test
    void earlierCancelNarrowsTheKnoteAndTheLastDeletesIt() throws Exception {
        Subs writes = vnode(Note.WRITE, 1);
        Subs attribs = vnode(Note.ATTRIB, 1);
        flush();
        writes.subscription.cancel();
        flush();
        KEvent narrowed = kq.changesOf(FD).getLast();
        assertEquals(Note.ATTRIB | FINAL, narrowed.fflags(), "narrowed: " + narrowed);
        assertTrue(!narrowed.has(Ev.DELETE));
        attribs.subscription.cancel();
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.DELETE), "deleted with the last subscriber");
        assertEquals(0, poller.knoteCount().get(20, TimeUnit.SECONDS));
        assertNull(writes.error);
    }

    @Test
    void knoteOutlivesTheSubscriberThatCreatedItForThoseThatJoined() throws Exception {
        Subs first = vnode(Note.WRITE, Long.MAX_VALUE);
        Subs second = vnode(Note.WRITE, Long.MAX_VALUE);
        flush();
        first.subscription.cancel();
        flush();
        Subs third = vnode(Note.WRITE, Long.MAX_VALUE);
        flush();
        List<KEvent> ch = kq.changesOf(FD);
        assertEquals(1, ch.stream().filter(c -> c.has(Ev.ADD)).count(), "the third joined the same knote: " + ch);
        assertTrue(ch.stream().noneMatch(c -> c.has(Ev.DELETE)), "never deleted: " + ch);
        assertEquals(1, poller.knoteCount().get(20, TimeUnit.SECONDS));

        kq.push(FD, EvFilt.VNODE, Ev.CLEAR, Note.WRITE, 0);
        second.awaitEvents(1);
        third.awaitEvents(1);
        flush();
        assertEquals(0, first.events.size(), "the cancelled creator gets nothing");
        second.subscription.cancel();
        third.subscription.cancel();
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.DELETE), "deleted with the last subscriber");
        assertEquals(0, poller.knoteCount().get(20, TimeUnit.SECONDS));
    }

    @Test
    void finalEventIsOnNextThenOnCompleteForEverySubscriber() throws Exception {
        Subs deletes = vnode(Note.DELETE, Long.MAX_VALUE);
        Subs writes = vnode(Note.WRITE, Long.MAX_VALUE);
        Subs idle = vnode(Note.DELETE, 0);
        flush();
        kq.push(FD, EvFilt.VNODE, 0, Note.DELETE, 0);
        deletes.awaitTerminated();
        writes.awaitTerminated();
        assertEquals(1, deletes.events.size());
        assertTrue(deletes.completed);
        assertEquals(0, writes.events.size(), "it did not ask for NOTE_DELETE, yet it completes");
        assertTrue(writes.completed);
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.DELETE));
        assertTrue(!idle.completed, "the final event waits for demand");
        idle.subscription.request(1);
        idle.awaitTerminated();
        assertEquals(1, idle.events.size());
        assertTrue(idle.completed);
    }

    @Test
    void registrationErrorGoesToTheSubscribersOfThatKnoteOnly() throws Exception {
        Subs other = new Subs(Long.MAX_VALUE);
        poller.subscribe(Interest.of(EvFilt.READ, 3, 0, 0, 0, 0), other);
        kq.failAdd(99, Errno.ESRCH);
        Subs a = new Subs(1);
        Subs b = new Subs(0);
        poller.subscribe(Interest.of(EvFilt.PROC, 99, 0, Note.EXIT, 0, 0), a);
        poller.subscribe(Interest.of(EvFilt.PROC, 99, 0, Note.EXIT, 0, 0), b);
        // b may attach after a's knote already failed: its own EV_ADD then fails the same way.
        a.awaitTerminated();
        b.awaitTerminated();
        for (Subs s : List.of(a, b)) {
            KqException e = assertInstanceOf(KqException.class, s.error);
            assertEquals("ESRCH", e.errnoName());
            assertEquals(99, e.ident());
            assertTrue(e.call().contains("EV_ADD EVFILT_PROC"), e.call());
        }
        kq.push(3, EvFilt.READ, 0, 0, 5);
        other.awaitEvents(1);
        assertEquals(1, poller.knoteCount().get(20, TimeUnit.SECONDS));
    }

    @Test
    void pollerFailureTerminatesEverySubscriptionWithTheError() throws Exception {
        Subs a = vnode(Note.WRITE, 1);
        Subs b = new Subs(0);
        poller.subscribe(Interest.of(EvFilt.READ, 3, 0, 0, 0, 0), b);
        flush();
        kq.failNextCall(new KqException(Errno.EIO, "kevent", -1, "scripted"));
        a.awaitTerminated();
        b.awaitTerminated();
        assertEquals("EIO", assertInstanceOf(KqException.class, a.error).errnoName());
        assertEquals("EIO", assertInstanceOf(KqException.class, b.error).errnoName());
        Subs late = vnode(Note.WRITE, 1);
        late.awaitTerminated();
        assertEquals("EBADF", assertInstanceOf(KqException.class, late.error).errnoName());
    }
    @Test
    void anUndispatchedKnoteIsDisabledByThePollerOnceNoDemandIsLeft() throws Exception {
        Subs eager = vnode(Note.WRITE, Long.MAX_VALUE);
        flush();
        KEvent add = kq.changesOf(FD).getFirst();
        assertTrue(add.has(Ev.ADD) && !add.has(Ev.DISPATCH), "unbounded from the start: no EV_DISPATCH: " + add);
        Subs bounded = vnode(Note.WRITE, 0);
        flush();
        kq.push(FD, EvFilt.VNODE, 0, Note.WRITE, 0);
        eager.awaitEvents(1);
        kq.push(FD, EvFilt.VNODE, 0, Note.WRITE, 0);
        eager.awaitEvents(2);
        flush();
        assertTrue(kq.changesOf(FD).stream().noneMatch(c -> c.has(Ev.DISABLE) || c.has(Ev.DISPATCH)),
            "stays enabled while the unbounded subscriber is there: " + kq.changesOf(FD));
        assertEquals(0, bounded.events.size(), "no demand: its share waits in its slot");

        eager.subscription.cancel();
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.DISABLE), "no demand left: disabled: " + kq.changesOf(FD));
        bounded.subscription.request(1);
        bounded.awaitEvents(1);
        assertEquals(Note.WRITE, bounded.events.getFirst().fflags(), "the coalesced share");
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.DISABLE), "served from its slot: still disabled: " + kq.changesOf(FD));
        bounded.subscription.request(1);
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.ENABLE), "armed for its next request: " + kq.changesOf(FD));
        kq.push(FD, EvFilt.VNODE, 0, Note.WRITE, 0);
        bounded.awaitEvents(2);
        flush();
        assertTrue(kq.changesOf(FD).getLast().has(Ev.DISABLE), "its demand is spent: disabled again: " + kq.changesOf(FD));
        assertEquals(2, bounded.events.size());
    }

    @Test
    void boundedDemandAtRegistrationKeepsEvDispatch() throws Exception {
        Subs s = vnode(Note.WRITE, 3);
        flush();
        assertTrue(kq.changesOf(FD).getFirst().has(Ev.DISPATCH), "bounded demand: EV_DISPATCH: " + kq.changesOf(FD));
        assertTrue(s.events.isEmpty());
    }
}
