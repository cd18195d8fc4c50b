package io.reactivekq.kqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KEvent#reusing}: the candidate only when every field matches, else a new event with the fields asked for. */
class KEventReusingTest {
    private static final KEvent LAST = new KEvent(5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 9, 3, 4);

    @Test
    void theSameFieldsGiveTheCandidateItself() {
        assertSame(LAST, KEvent.reusing(LAST, 5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 9, 3, 4));
    }

    @Test
    void anyFieldThatDiffersGivesANewEventWithTheFieldsAskedFor() {
        List<KEvent> wanted = List.of(
            new KEvent(6, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 9, 3, 4),
            new KEvent(5, EvFilt.WRITE, Ev.CLEAR, Note.READINESS, 1, 9, 3, 4),
            new KEvent(5, EvFilt.READ, Ev.CLEAR | Ev.EOF, Note.READINESS, 1, 9, 3, 4),
            new KEvent(5, EvFilt.READ, Ev.CLEAR, 0, 1, 9, 3, 4),
            new KEvent(5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 2, 9, 3, 4),
            new KEvent(5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 0, 3, 4),
            new KEvent(5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 9, 0, 4),
            new KEvent(5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 9, 3, 0));
        for (KEvent w : wanted) {
            KEvent got = KEvent.reusing(LAST, w.ident(), w.filter(), w.flags(), w.fflags(), w.data(), w.udata(),
                w.ext0(), w.ext1());
            assertNotSame(LAST, got, () -> "differs from " + LAST + ": " + w);
            assertEquals(w, got);
        }
    }

    @Test
    void noCandidateGivesANewEvent() {
        assertEquals(LAST, KEvent.reusing(null, 5, EvFilt.READ, Ev.CLEAR, Note.READINESS, 1, 9, 3, 4));
    }
}
