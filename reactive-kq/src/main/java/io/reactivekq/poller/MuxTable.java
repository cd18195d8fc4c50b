package io.reactivekq.poller;

import java.util.Arrays;

/**
 * The poller's knotes, found two ways: by (filter, ident) when a subscriber arrives (an
 * open-addressing table of the knotes themselves, so no key object per registration; a
 * user-event handle's knote is found through the handle instead), and by udata when an event
 * comes back. udata holds a slot index and that slot's generation, so an
 * event still in flight for a knote that is gone (or whose slot was reused) finds nothing.
 * Poller thread only.
 */
final class MuxTable {
    /** Linear probing on (filter, ident); null is empty; kept at most half full. */
    private MuxNote[] keyed = new MuxNote[64];
    private int keyedCount;

    private MuxNote[] slots = new MuxNote[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int size;

    private static int hash(short filter, long ident) {
        long h = (ident ^ ((long) filter << 48)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** The attached knote a subscriber of {@code interest} joins, or null. */
    MuxNote find(Interest interest) {
        UserSource user = interest.user();
        return user != null ? user.knote : find(interest.filter(), interest.ident());
    }

    /** The attached knote for (filter, ident), or null. */
    MuxNote find(short filter, long ident) {
        int mask = keyed.length - 1;
        for (int i = hash(filter, ident) & mask; ; i = (i + 1) & mask) {
            MuxNote m = keyed[i];
            if (m == null) return null;
            if (m.ident() == ident && m.filter() == filter) return m;
        }
    }

    /** Stores a new knote, found by (filter, ident) and udata, and gives it its udata. */
    void put(MuxNote m) {
        giveSlot(m);
        UserSource user = m.user();
        if (user != null) {
            // Only the handle's subscribers can name its knote (events(spec) refuses
            // EVFILT_USER), so the handle is its key.
            user.knote = m;
            return;
        }
        if ((keyedCount + 1) * 2 > keyed.length) rehash(keyed.length * 2);
        insert(keyed, m);
        keyedCount++;
    }

    /**
     * Stores a new knote that no other subscriber can join (its ident is its subscriber's
     * own), found by udata only: no key slot per timer.
     */
    void putUnkeyed(MuxNote m) {
        m.set(MuxNote.DETACHED, true);
        giveSlot(m);
    }

    private void giveSlot(MuxNote m) {
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
        generations[idx]++;
        m.slot = idx;
        size++;
    }

    private static void insert(MuxNote[] table, MuxNote m) {
        int mask = table.length - 1;
        int i = hash(m.filter(), m.ident()) & mask;
        while (table[i] != null) i = (i + 1) & mask;
        table[i] = m;
    }

    private void rehash(int capacity) {
        MuxNote[] bigger = new MuxNote[capacity];
        for (MuxNote m : keyed) if (m != null) insert(bigger, m);
        keyed = bigger;
    }

    /**
     * The udata of {@code m}'s events: its slot and the slot's generation. Held by the table
     * rather than in each knote (the generation is here anyway); valid from the put until the
     * slot is given to another knote, so also for the EV_DELETE of a knote just removed.
     */
    long udata(MuxNote m) {
        return ((long) generations[m.slot] << 32) | m.slot;
    }

    /** The knote an event's udata names, or null when it is gone. */
    MuxNote byUdata(long udata) {
        int idx = (int) udata;
        if (idx < 0 || idx >= used) return null;
        MuxNote m = slots[idx];
        return m != null && generations[idx] == (int) (udata >>> 32) ? m : null;
    }

    /** New subscribers to (filter, ident) no longer join {@code m}. */
    void detach(MuxNote m) {
        if (m.is(MuxNote.DETACHED)) return;
        m.set(MuxNote.DETACHED, true);
        UserSource user = m.user();
        if (user != null) {
            if (user.knote == m) user.knote = null;
            return;
        }
        int mask = keyed.length - 1;
        int i = hash(m.filter(), m.ident()) & mask;
        while (keyed[i] != m) {
            if (keyed[i] == null) return;
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: pull later entries of the probe run into the hole.
        keyed[i] = null;
        keyedCount--;
        for (int j = (i + 1) & mask; keyed[j] != null; j = (j + 1) & mask) {
            int home = hash(keyed[j].filter(), keyed[j].ident()) & mask;
            boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                keyed[i] = keyed[j];
                keyed[j] = null;
                i = j;
            }
        }
    }

    /** Forgets {@code m} entirely. */
    void remove(MuxNote m) {
        detach(m);
        int idx = m.slot;
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
