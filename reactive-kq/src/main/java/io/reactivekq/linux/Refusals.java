package io.reactivekq.linux;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import java.util.HashMap;
import java.util.Map;

/**
 * The exceptions behind changes refused with an EV_ERROR event: the event carries only the
 * errno, the exception also says why. Kept until {@link io.reactivekq.kqueue.KQueue#refusal}
 * takes them; bounded, since a caller of the raw SPI may never ask.
 */
final class Refusals {
    private static final int MAX = 64;

    private record Key(short filter, long ident, int errno) {}

    /** Allocated at the first refusal: most kqueues never see one. */
    private Map<Key, KqException> kept;

    /** Keeps {@code why} for the EV_ERROR event written for {@code change}, if it is that change's refusal. */
    void keep(KEvent change, int errno, KqException why) {
        if (why == null || why.errno() != errno || why.ident() != change.ident()) return;
        if (kept == null) kept = new HashMap<>();
        if (kept.size() >= MAX) kept.clear();
        kept.put(new Key(change.filter(), change.ident(), errno), why);
    }

    /** The exception kept for {@code error} (an EV_ERROR event), removed; null when none was. */
    KqException take(KEvent error) {
        return kept == null ? null : kept.remove(new Key(error.filter(), error.ident(), (int) error.data()));
    }
}
