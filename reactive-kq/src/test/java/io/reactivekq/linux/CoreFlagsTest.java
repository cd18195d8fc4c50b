package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.trigger;
import static io.reactivekq.linux.Kev.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The knote status machine: EV_ADD / DELETE / ENABLE / DISABLE / ONESHOT / CLEAR / DISPATCH. */
class CoreFlagsTest extends KqFixture {
    @Test
    void addOnExistingKnoteModifiesItInsteadOfAddingAnother() {
        kq.register(KEvent.of(1, EvFilt.USER, Ev.ADD | Ev.CLEAR, 0, 0, 0x11));
        List<KEvent> r = poll(kq, KEvent.of(1, EvFilt.USER, Ev.ADD, Note.TRIGGER, 5, 0x22));
        assertEquals(Map.of("EVFILT_USER", 1), kq.knoteCounts());
        assertEquals(1, r.size(), r::toString);
        assertEquals(0x22, r.get(0).udata());
        assertEquals(5, r.get(0).data());
        assertTrue(r.get(0).has(Ev.CLEAR), "the first registration's EV_CLEAR is kept");
    }

    @Test
    void modificationOverwritesUdataAsInBsd() {
        kq.register(KEvent.of(1, EvFilt.USER, Ev.ADD | Ev.CLEAR, 0, 0, 0x11));
        kq.register(KEvent.of(1, EvFilt.USER, Ev.ADD, 0, 0, 0x22));
        KEvent e = one(kq, KEvent.of(1, EvFilt.USER, 0, Note.TRIGGER, 0, 0x33));
        assertEquals(0x33, e.udata());
    }

    @Test
    void deleteRemovesTheKnoteAndItsPendingEvent() {
        kq.register(user(1, Ev.ADD));
        kq.register(trigger(1));
        kq.register(user(1, Ev.DELETE));
        assertTrue(poll(kq).isEmpty());
        assertTrue(kq.knoteCounts().isEmpty());
        assertEquals(Errno.ENOENT.number(), Kev.registerFails(kq, user(1, Ev.DELETE)).errno());
    }

    @Test
    void disableSuppressesDeliveryAndRemembersActivity() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR | Ev.DISABLE));
        kq.register(trigger(1));
        assertTrue(poll(kq).isEmpty(), "a disabled knote was returned");
        KEvent e = one(kq, user(1, Ev.ENABLE));
        assertEquals(1, e.ident());
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void disableOfAQueuedKnoteTakesItOffTheQueue() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR));
        kq.register(trigger(1));
        kq.register(user(1, Ev.DISABLE));
        assertTrue(poll(kq).isEmpty());
        assertEquals(1, one(kq, user(1, Ev.ENABLE)).ident());
    }

    @Test
    void enableReevaluatesTheFilter() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD | Ev.DISPATCH));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        assertTrue(poll(kq).isEmpty(), "EV_DISPATCH knote was not disabled");
        TestFds.write(p[1], "de");
        assertTrue(poll(kq).isEmpty(), "a disabled knote was returned");
        // Nothing new arrives after the enable: the enable itself must evaluate the fd.
        KEvent e = one(kq, read(p[0], Ev.ENABLE));
        assertEquals(5, e.data());
    }

    @Test
    void oneshotDeletesTheKnoteAfterDelivery() {
        kq.register(user(1, Ev.ADD | Ev.ONESHOT));
        KEvent e = one(kq, trigger(1));
        assertTrue(e.has(Ev.ONESHOT));
        assertTrue(kq.knoteCounts().isEmpty());
        assertTrue(poll(kq, trigger(1)).get(0).isError(), "trigger of a deleted oneshot knote must fail");
    }

    @Test
    void clearResetsStateSoOnlyNewActivityIsReported() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        assertTrue(poll(kq).isEmpty(), "EV_CLEAR knote returned again without new data");
        TestFds.write(p[1], "d");
        assertEquals(4, one(kq).data(), "data is what is readable now");
    }

    @Test
    void dispatchDisablesAfterDeliveryUntilEnabled() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR | Ev.DISPATCH));
        assertTrue(one(kq, trigger(1)).has(Ev.DISPATCH));
        kq.register(trigger(1));
        assertTrue(poll(kq).isEmpty(), "dispatched knote returned while disabled");
        assertEquals(1, one(kq, user(1, Ev.ENABLE)).ident());
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void levelTriggeredKnoteIsReturnedWhileTheConditionHolds() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        assertEquals(3, one(kq).data());
        TestFds.read(p[0], 1);
        assertEquals(2, one(kq).data());
    }

    @Test
    void levelTriggeredKnoteIsDroppedAtScanWhenTheConditionNoLongerHolds() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        assertEquals(3, TestFds.read(p[0], 10));
        assertTrue(poll(kq).isEmpty(), "drained pipe still reported");
        TestFds.write(p[1], "x");
        assertEquals(1, one(kq).data(), "the knote is re-activated by new data");
    }

    @Test
    void addDisabledRegistersWithoutReporting() {
        kq.register(user(1, Ev.ADD | Ev.DISABLE, Note.TRIGGER, 0));
        assertTrue(poll(kq).isEmpty());
        assertEquals(Map.of("EVFILT_USER", 1), kq.knoteCounts());
        assertEquals(1, one(kq, user(1, Ev.ENABLE)).ident());
    }

    @Test
    void deliveredFlagsKeepBehaviourFlagsButNotActionFlags() {
        kq.register(user(1, Ev.ADD | Ev.ENABLE | Ev.CLEAR | Ev.DISPATCH));
        KEvent e = one(kq, trigger(1));
        assertEquals(Ev.CLEAR | Ev.DISPATCH, e.flags(), Ev.names(e.flags()));
    }

    @Test
    void deleteOfADisabledActiveKnoteLeavesNothingBehind() {
        kq.register(user(1, Ev.ADD | Ev.DISABLE, Note.TRIGGER, 0));
        kq.register(user(1, Ev.DELETE));
        assertTrue(kq.knoteCounts().isEmpty());
        List<KEvent> r = poll(kq, user(1, Ev.ENABLE));
        assertEquals(1, r.size());
        assertEquals(Errno.ENOENT.number(), r.get(0).data());
    }

    @Test
    void knotesAreKeyedByIdentAndFilter() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD), user(p[0], Ev.ADD | Ev.CLEAR));
        assertEquals(Map.of("EVFILT_READ", 1, "EVFILT_USER", 1), kq.knoteCounts());
        KEvent e = one(kq, trigger(p[0]));
        assertEquals(EvFilt.USER, e.filter());
        kq.register(user(p[0], Ev.DELETE));
        TestFds.write(p[1], "z");
        assertEquals(EvFilt.READ, one(kq).filter());
        assertFalse(kq.knoteCounts().containsKey("EVFILT_USER"));
    }

    @Test
    void addOnADisabledKnoteLeavesItDisabled() {
        kq.register(user(1, Ev.ADD | Ev.CLEAR | Ev.DISPATCH));
        assertEquals(1, one(kq, trigger(1)).ident());
        assertTrue(poll(kq, user(1, Ev.ADD, Note.TRIGGER, 0)).isEmpty(), "EV_ADD re-enabled a dispatched knote");
        assertEquals(1, one(kq, user(1, Ev.ENABLE)).ident());
    }

    @Test
    void dispatchClearReadIsRedeliveredAtEnableWhileDataRemains() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD | Ev.CLEAR | Ev.DISPATCH));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        TestFds.write(p[1], "de");
        assertTrue(poll(kq).isEmpty(), "dispatched knote returned while disabled");
        assertEquals(5, one(kq, read(p[0], Ev.ENABLE)).data(), "activity while disabled is delivered at enable");
        // Nothing new, nothing read: the enable re-evaluates the filter, as FreeBSD does.
        assertEquals(5, one(kq, read(p[0], Ev.ENABLE)).data());
        assertEquals(5, TestFds.read(p[0], 5));
        assertTrue(poll(kq, read(p[0], Ev.ENABLE)).isEmpty(), "an empty pipe is not readable");
    }
}
