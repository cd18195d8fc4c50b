package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.trigger;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import org.junit.jupiter.api.Test;

/** EVFILT_USER: NOTE_TRIGGER, the NOTE_FF* fflags operations, data, EV_CLEAR. */
class UserFilterTest extends KqFixture {
    @Test
    void untriggeredUserKnoteIsNotReturned() {
        kq.register(user(1, Ev.ADD));
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void triggerInTheAddFiresAtOnce() {
        KEvent e = one(kq, user(1, Ev.ADD | Ev.CLEAR, Note.TRIGGER | 0x5, 0));
        assertEquals(EvFilt.USER, e.filter());
        assertEquals(0x5, e.fflags(), "the user bits of the add are kept, the trigger bit is not reported");
    }

    @Test
    void withoutClearTheKnoteStaysTriggered() {
        kq.register(user(1, Ev.ADD));
        assertEquals(1, one(kq, trigger(1)).ident());
        assertEquals(1, one(kq).ident());
        assertEquals(1, one(kq).ident());
    }

    @Test
    void clearResetsTheTriggerAfterDelivery() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        assertEquals(1, one(kq, trigger(1)).ident());
        assertTrue(poll(kq).isEmpty());
        assertEquals(1, one(kq, trigger(1)).ident(), "a later trigger fires again");
    }

    @Test
    void clearInAModificationResetsATriggerAsInBsd() {
        kq.register(user(1, Ev.ADD));
        kq.register(trigger(1));
        kq.register(user(1, Ev.CLEAR));
        assertTrue(poll(kq).isEmpty(), "EV_CLEAR in a change must reset the trigger");
    }

    @Test
    void ffCopyOrAndNopCombineTheSavedFflags() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        kq.register(user(1, 0, Note.FFCOPY | 0x30, 0));
        kq.register(user(1, 0, Note.FFOR | 0x03, 0));
        assertEquals(0x33, one(kq, trigger(1)).fflags(), "COPY 0x30 then OR 0x03");
        kq.register(user(1, 0, Note.FFAND | 0x21, 0));
        assertEquals(0x21, one(kq, trigger(1)).fflags(), "AND 0x21");
        kq.register(user(1, 0, Note.FFNOP | 0x0f, 0));
        assertEquals(0x21, one(kq, trigger(1)).fflags(), "NOP leaves the fflags alone");
        assertEquals(0x5, one(kq, user(1, 0, Note.TRIGGER | Note.FFCOPY | 0x5, 0)).fflags(),
            "COPY together with TRIGGER");
    }

    @Test
    void fflagsAreMaskedToTheUserBits() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        KEvent e = one(kq, user(1, 0, Note.TRIGGER | Note.FFOR | 0x00ffffff, 0));
        assertEquals(Note.FFLAGSMASK, e.fflags());
    }

    @Test
    void dataOfTheLastChangeIsCarried() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        assertEquals(42, one(kq, user(1, 0, Note.TRIGGER, 42)).data());
        assertEquals(-7, one(kq, user(1, 0, Note.TRIGGER, -7)).data());
    }

    @Test
    void udataIsCarried() {
        kq.register(KEvent.of(1, EvFilt.USER, Ev.ADD | Ev.CLEAR, 0, 0, 0xabcdefL));
        assertEquals(0xabcdefL, one(kq, KEvent.of(1, EvFilt.USER, 0, Note.TRIGGER, 0, 0xabcdefL)).udata());
    }

    @Test
    void triggersCoalesceUntilDelivered() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        for (int i = 0; i < 10; i++) kq.register(user(1, 0, Note.TRIGGER | Note.FFOR | (1 << i), i));
        KEvent e = one(kq);
        assertEquals(0x3ff, e.fflags());
        assertEquals(9, e.data());
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void manyUserIdentsAreIndependent() {
        for (int i = 0; i < 50; i++) kq.register(user(1000 + i, Ev.ADD | Ev.CLEAR));
        kq.register(trigger(1017), trigger(1033));
        var r = poll(kq);
        assertEquals(2, r.size());
        assertEquals(1017, r.get(0).ident());
        assertEquals(1033, r.get(1).ident());
    }
}
