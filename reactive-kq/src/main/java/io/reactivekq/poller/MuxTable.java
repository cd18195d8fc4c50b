package io.reactivekq.poller;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The poller's knotes, found two ways: by (filter, ident) when a subscriber arrives, and by
 * udata when an event comes back. udata holds a slot index and that slot's generation, so
 * an event still in flight for a knote that is gone (or whose slot was reused) finds nothing.
 * Poller thread only.
 */
final class MuxTable {
    private record Key(short filter, long ident) {}

    private final Map<Key, MuxNote> byKey = new HashMap<>();
    private MuxNote[] slots = new MuxNote[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int size;

    /** The attached knote for (filter, ident), or null. */
    MuxNote find(short filter, long ident) {
        return byKey.get(new Key(filter, ident));
    }

    /** Stores a new knote and gives it its udata. */
    void put(MuxNote m) {
        int idx;
        if (freeCount > 0) {
            idx = free[--freeCount];
        } else {
            if (used == slots.length) {
                slots = Arrays.copyOf(slots, used * 2);
                generations = Arrays.copyOf(generations, used * 2);
            }
            idx = used++;
        }
        slots[idx] = m;
        int gen = ++generations[idx];
        m.udata = ((long) gen << 32) | idx;
        byKey.put(new Key(m.filter, m.ident), m);
        size++;
    }

    /** The knote an event's udata names, or null when it is gone. */
    MuxNote byUdata(long udata) {
        int idx = (int) udata;
        if (idx < 0 || idx >= used) return null;
        MuxNote m = slots[idx];
        return m != null && m.udata == udata ? m : null;
    }

    /** New subscribers to (filter, ident) no longer join {@code m}. */
    void detach(MuxNote m) {
        if (m.detached) return;
        m.detached = true;
        byKey.remove(new Key(m.filter, m.ident), m);
    }

    /** Forgets {@code m} entirely. */
    void remove(MuxNote m) {
        detach(m);
        int idx = (int) m.udata;
        if (idx >= 0 && idx < used && slots[idx] == m) {
            slots[idx] = null;
            if (freeCount == free.length) free = Arrays.copyOf(free, free.length * 2);
            free[freeCount++] = idx;
            size--;
        }
    }

    int size() {
        return size;
    }

    /** Every knote, for shutdown. */
    MuxNote[] all() {
        MuxNote[] out = new MuxNote[size];
        int n = 0;
        for (int i = 0; i < used; i++) if (slots[i] != null) out[n++] = slots[i];
        return out;
    }
}
