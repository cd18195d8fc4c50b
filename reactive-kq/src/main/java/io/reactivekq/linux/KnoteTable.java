package io.reactivekq.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * One filter's knotes by ident: an open-addressing table of the knotes themselves (linear
 * probing, kept at most half full), so a registration costs one array slot instead of a map
 * entry and a boxed key. Guarded by the owning {@link LinuxKQueue}'s lock.
 */
final class KnoteTable {
    private Knote[] slots = new Knote[16];
    private int size;

    private static int home(long ident, int mask) {
        long h = ident * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The knote for {@code ident}, or null. */
    Knote get(long ident) {
        int mask = slots.length - 1;
        for (int i = home(ident, mask); ; i = (i + 1) & mask) {
            Knote kn = slots[i];
            if (kn == null || kn.ident == ident) return kn;
        }
    }

    /** Stores a knote whose ident is not in the table. */
    void put(Knote kn) {
        if ((size + 1) * 2 > slots.length) grow();
        insert(slots, kn);
        size++;
    }

    private static void insert(Knote[] table, Knote kn) {
        int mask = table.length - 1;
        int i = home(kn.ident, mask);
        while (table[i] != null) i = (i + 1) & mask;
        table[i] = kn;
    }

    private void grow() {
        Knote[] bigger = new Knote[slots.length * 2];
        for (Knote kn : slots) if (kn != null) insert(bigger, kn);
        slots = bigger;
    }

    /** Forgets the knote for {@code ident}, if any. */
    void remove(long ident) {
        int mask = slots.length - 1;
        int i = home(ident, mask);
        while (slots[i] == null || slots[i].ident != ident) {
            if (slots[i] == null) return;
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps every probe run unbroken without tombstones.
        slots[i] = null;
        size--;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int h = home(slots[j].ident, mask);
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    /** A copy of every knote, for close. */
    List<Knote> all() {
        List<Knote> out = new ArrayList<>(size);
        for (Knote kn : slots) if (kn != null) out.add(kn);
        return out;
    }
}
