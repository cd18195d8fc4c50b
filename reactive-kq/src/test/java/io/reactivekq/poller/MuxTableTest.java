package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.reactivekq.kqueue.EvFilt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The knote table against a HashMap, through random adds and removals. */
class MuxTableTest {
    @Test
    void findsWhatItHoldsAndForgetsWhatItRemoved() {
        MuxTable table = new MuxTable();
        Map<Long, MuxNote> reference = new HashMap<>();
        List<MuxNote> live = new ArrayList<>();
        List<Long> stale = new ArrayList<>();
        Random rnd = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            if (live.isEmpty() || rnd.nextInt(3) > 0) {
                long ident = rnd.nextInt(5_000);
                if (reference.containsKey(ident)) continue;
                MuxNote m = new MuxNote(Interest.of(EvFilt.USER, ident, 0, 0, 0, 0), ident);
                table.put(m);
                reference.put(ident, m);
                live.add(m);
            } else {
                MuxNote m = live.remove(rnd.nextInt(live.size()));
                long udata = table.udata(m);
                table.remove(m);
                reference.remove(m.ident());
                assertNull(table.find(EvFilt.USER, m.ident()));
                assertNull(table.byUdata(udata));
                stale.add(udata);
            }
            if (step % 1000 == 0) {
                for (MuxNote m : live) {
                    assertSame(m, table.find(EvFilt.USER, m.ident()), "find " + m.ident() + " at step " + step);
                    assertSame(m, table.byUdata(table.udata(m)));
                }
                assertNull(table.find(EvFilt.READ, live.isEmpty() ? 0 : live.getFirst().ident()));
                // Slots are reused: an event still in flight for a knote that is gone must find nothing.
                for (long udata : stale) assertNull(table.byUdata(udata), "stale udata 0x" + Long.toHexString(udata));
                stale.clear();
            }
        }
        assertEquals(live.size(), table.size());
    }

    @Test
    void anUnkeyedKnoteIsFoundByUdataOnlyAndLeavesKeyedOnesAlone() {
        MuxTable table = new MuxTable();
        MuxNote keyed = new MuxNote(Interest.of(EvFilt.TIMER, 7, 0, 0, 0, 0), 7);
        MuxNote own = new MuxNote(Interest.of(EvFilt.TIMER, 0, 0, 0, 0, 0), 7);
        table.put(keyed);
        table.putUnkeyed(own);
        assertSame(keyed, table.find(EvFilt.TIMER, 7));
        assertSame(own, table.byUdata(table.udata(own)));
        assertEquals(2, table.size());
        table.remove(own);
        assertNull(table.byUdata(table.udata(own)));
        assertSame(keyed, table.find(EvFilt.TIMER, 7), "removing the unkeyed knote must not unkey its namesake");
        assertEquals(1, table.size());
    }

    @Test
    void anEventForARemovedKnoteDoesNotReachTheKnoteThatReusedItsSlot() {
        MuxTable table = new MuxTable();
        MuxNote gone = new MuxNote(Interest.of(EvFilt.USER, 1, 0, 0, 0, 0), 1);
        table.put(gone);
        long goneUdata = table.udata(gone);
        table.remove(gone);
        MuxNote reuser = new MuxNote(Interest.of(EvFilt.USER, 2, 0, 0, 0, 0), 2);
        table.put(reuser);
        assertEquals(gone.slot, reuser.slot, "the freed slot is reused");
        assertNull(table.byUdata(goneUdata));
        assertSame(reuser, table.byUdata(table.udata(reuser)));
    }

    @Test
    void aUserHandlesKnoteIsFoundThroughTheHandleWithoutAKeySlot() {
        MuxTable table = new MuxTable();
        UserSource handle = new UserSource(null, 11);
        MuxNote m = new MuxNote(handle, 11);
        table.put(m);
        assertSame(m, table.find(handle), "the handle leads to its knote");
        assertSame(m, handle.knote);
        assertNull(table.find(EvFilt.USER, 11), "no (filter, ident) key for a handle's knote");
        assertSame(m, table.byUdata(table.udata(m)));
        table.detach(m);
        assertNull(table.find(handle), "detached: a new subscriber gets a new knote");
        assertSame(m, table.byUdata(table.udata(m)), "its events still route until it is removed");
        table.remove(m);
        assertNull(table.byUdata(table.udata(m)));
        assertEquals(0, table.size());
    }
}
