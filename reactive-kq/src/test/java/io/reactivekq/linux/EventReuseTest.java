package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * READ and WRITE knotes hand out their last event again when the next one has the same
 * fields (a readiness edge, an unchanged count), so a busy fd allocates nothing per event;
 * any field that differs makes a new event.
 */
class EventReuseTest extends KqFixture {

    @Test
    void aRepeatedReadinessEdgeIsTheSameEventInstance() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD | Ev.CLEAR, Note.READINESS, 0, 7));
        TestFds.write(p[1], "ab");
        KEvent first = one(kq);
        TestFds.read(p[0], 16);
        TestFds.write(p[1], "cde");
        KEvent second = one(kq);
        assertEquals(first, second);
        assertSame(first, second, "the same edge twice allocates no second event");
        assertEquals(7, second.udata());
    }

    @Test
    void anUnchangedCountIsReusedAndAChangedOneIsANewEvent() {
        int[] p = fds.pipe();
        kq.register(Kev.read(p[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(p[1], "ab");
        KEvent two = one(kq);
        TestFds.read(p[0], 16);
        TestFds.write(p[1], "cd");
        assertSame(two, one(kq), "2 bytes again: the same event");
        TestFds.read(p[0], 16);
        TestFds.write(p[1], "xyz");
        KEvent three = one(kq);
        assertNotSame(two, three);
        assertEquals(3, three.data());
        assertEquals(2, two.data(), "a handed-out event never changes");
    }

    @Test
    void eofIsANewEventThoughTheCountIsTheSame() {
        int[] p = fds.pipe();
        kq.register(Kev.read(p[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(p[1], "a");
        KEvent data = one(kq);
        TestFds.read(p[0], 16);
        TestFds.write(p[1], "b");
        fds.closeNow(p[1]);
        KEvent eof = one(kq);
        assertNotSame(data, eof);
        assertEquals(1, eof.data());
        assertEquals(Ev.EOF, eof.flags() & Ev.EOF);
    }

    @Test
    void readAndWriteOfOneFdEachReuseTheirOwnEvent() {
        int[] s = fds.socketPair();
        TestFds.write(s[1], "hi");
        // Level-triggered, both ready: every call returns both, each filter's event in turn.
        kq.register(Kev.read(s[0], Ev.ADD));
        kq.register(Kev.write(s[0], Ev.ADD));
        List<KEvent> first = Kev.poll(kq);
        List<KEvent> again = Kev.poll(kq);
        assertEquals(2, first.size(), () -> "READ and WRITE ready: " + first);
        assertEquals(first, again);
        for (int i = 0; i < 2; i++) assertSame(first.get(i), again.get(i), "each filter's event is its own to reuse");
        assertEquals(2, byFilter(again, EvFilt.READ).data());
    }

    private static KEvent byFilter(List<KEvent> events, short filter) {
        return events.stream().filter(e -> e.filter() == filter).findFirst().orElseThrow();
    }
}
