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
                table.remove(m);
                reference.remove(m.ident());
                assertNull(table.find(EvFilt.USER, m.ident()));
                assertNull(table.byUdata(m.udata));
            }
            if (step % 1000 == 0) {
                for (MuxNote m : live) {
                    assertSame(m, table.find(EvFilt.USER, m.ident()), "find " + m.ident() + " at step " + step);
                    assertSame(m, table.byUdata(m.udata));
                }
                assertNull(table.find(EvFilt.READ, live.isEmpty() ? 0 : live.getFirst().ident()));
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
        assertSame(own, table.byUdata(own.udata));
        assertEquals(2, table.size());
        table.remove(own);
        assertNull(table.byUdata(own.udata));
        assertSame(keyed, table.find(EvFilt.TIMER, 7), "removing the unkeyed knote must not unkey its namesake");
        assertEquals(1, table.size());
    }
}
