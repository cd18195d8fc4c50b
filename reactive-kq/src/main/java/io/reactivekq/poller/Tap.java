package io.reactivekq.poller;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One subscriber's registration: its {@link Subscription}, its demand, and the fixed slot in
 * which events it has no demand for coalesce (counts add, notes OR) while the knote it shares
 * with other subscribers stays armed for them.
 *
 * <p>{@link #request} and {@link #cancel} may be called from any thread; everything else runs
 * on the poller thread. A tap inherits the knote fields of {@link MuxNote}: they are in use
 * when this tap's subscriber was the first on its knote (see there), and idle otherwise.
 */
final class Tap extends MuxNote implements Subscription {
    private static final Logger LOG = Loggers.getLogger(Tap.class);
    private static final AtomicLongFieldUpdater<Tap> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(Tap.class, "requested");
    private static final AtomicIntegerFieldUpdater<Tap> STATE = AtomicIntegerFieldUpdater.newUpdater(Tap.class, "state");
    /** State bit: the terminal signal was sent. */
    private static final int DONE = 1;
    /** State bit: what the registration opened was given back. */
    private static final int RELEASED = 2;
    /** State bit: cancelled (by the subscriber, or dropped after its onNext threw). */
    private static final int CANCELLED = 4;
    /** State bit: request(n) with n <= 0 was seen: rule 3.9 wants an onError. */
    private static final int BAD_REQUEST = 8;
    /** Flags of the protocol that a subscriber has no use for in the events it receives. */
    private static final int HIDDEN_FLAGS = Ev.ADD | Ev.ENABLE | Ev.DISABLE | Ev.DISPATCH | Ev.RECEIPT;

    final Poller poller;
    private CoreSubscriber<? super KEvent> actual;

    private volatile long requested;
    /** DONE, RELEASED, CANCELLED, BAD_REQUEST (bits of one int rather than a field each: every tap pays for fields). */
    private volatile int state;

    /** The knote this tap is on (itself, or the one it joined); null before attach and after it left. */
    MuxNote mux;
    /** Next tap on the same knote. */
    Tap nextInMux;

    // The coalescing slot, full while the SLOT_FULL bit is set; whether it holds a final
    // event is the SLOT_FINAL bit.
    /** Ev flags, all within 16 bits. */
    private char slotFlags;
    private int slotFflags;
    private long slotData;
    /**
     * An event with the extension words (AIO error and return value) of the last one folded in:
     * that event, or the one this tap emitted last when its words are the same. The next
     * emission reuses it when it has the same fields, so a subscriber fed the same event again
     * and again (a readiness edge) costs no allocation. Null until the first event.
     */
    private KEvent slotLast;

    /**
     * @param ownIdent the ident was made for this subscriber alone: nobody can join its knote,
     *                 which is therefore never reachable by (filter, ident), detached from the start
     */
    Tap(Poller poller, Interest interest, long ident, boolean ownIdent, CoreSubscriber<? super KEvent> actual) {
        super(interest, ident);
        this.poller = poller;
        set(DETACHED, ownIdent);
        this.actual = actual;
    }

    CoreSubscriber<? super KEvent> actual() {
        return actual;
    }

    // ---- Subscription (any thread) ----------------------------------------------------------

    @Override
    public void request(long n) {
        if (cancelled()) return;
        if (n <= 0) {
            // The first bad request ends the subscription (rule 3.9); a subscriber repeating it
            // must not fill the op queue meanwhile.
            if (setOnce(BAD_REQUEST)) poller.submit(new Op(Op.DEMAND, this, null));
            return;
        }
        if (Operators.addCap(REQUESTED, this, n) == 0) poller.submit(new Op(Op.DEMAND, this, null));
    }

    @Override
    public void cancel() {
        if (setOnce(CANCELLED)) poller.submit(new Op(Op.CANCEL, this, null));
    }

    boolean cancelled() {
        return (state & CANCELLED) != 0;
    }

    boolean badRequest() {
        return (state & BAD_REQUEST) != 0;
    }

    boolean hasDemand() {
        return requested > 0 && !cancelled();
    }

    /** Demand is Long.MAX_VALUE: unbounded, and so for good (rule 3.17). */
    boolean unbounded() {
        return requested == Long.MAX_VALUE && !cancelled();
    }

    boolean isDone() {
        return (state & DONE) != 0;
    }

    /** Sets {@code bit} once; true for the caller that set it. */
    private boolean setOnce(int bit) {
        for (;;) {
            int s = state;
            if ((s & bit) != 0) return false;
            if (STATE.compareAndSet(this, s, s | bit)) return true;
        }
    }

    /** The notes this tap registered for. */
    int notes() {
        return interest.fflags();
    }

    // ---- poller side ----------------------------------------------------------------------

    /**
     * Folds one event into the slot: this tap's notes are OR'ed, data adds up for counting
     * filters and replaces otherwise. Returns false when the event holds nothing for it.
     */
    boolean offer(KEvent ev, long data, boolean fin) {
        int notes = FilterPolicy.selectsNotes(ev.filter()) ? ev.fflags() & notes() : ev.fflags();
        if (fin) set(SLOT_FINAL, true);
        if (FilterPolicy.selectsNotes(ev.filter()) && notes == 0) return fin;
        slotFlags |= (char) (ev.flags() & ~HIDDEN_FLAGS);
        slotFflags |= notes;
        slotData = FilterPolicy.countsAdd(ev.filter()) ? slotData + data : data;
        if (slotLast == null || slotLast.ext0() != ev.ext0() || slotLast.ext1() != ev.ext1()) slotLast = ev;
        set(SLOT_FULL, true);
        return true;
    }

    /** The undelivered count in the slot (user and timer taps), for accounting at cancel. */
    long slotCount() {
        return is(SLOT_FULL) && FilterPolicy.countsAdd(interest.filter()) ? slotData : 0;
    }

    /**
     * Emits the slot if there is demand for it, then completes after a final event. Returns
     * false when the subscriber threw from onNext (the caller drops the tap).
     */
    boolean drain() {
        if (cancelled() || isDone()) return true;
        if (is(SLOT_FULL) && requested > 0) {
            KEvent ev = KEvent.reusing(slotLast, ident, interest.filter(), slotFlags, slotFflags, slotData, 0,
                slotLast.ext0(), slotLast.ext1());
            slotLast = ev;
            set(SLOT_FULL, false);
            slotFlags = 0;
            slotFflags = 0;
            slotData = 0;
            // One CAS that leaves Long.MAX_VALUE alone: a check then a decrement would turn a
            // request(Long.MAX_VALUE) landing in between into MAX - 1, bounded demand again.
            Operators.produced(REQUESTED, this, 1);
            try {
                actual.onNext(ev);
            } catch (Throwable t) {
                LOG.warn("subscriber of {} threw from onNext; its registration is dropped", ev, t);
                setOnce(CANCELLED);
                fail(Operators.onOperatorError(t, actual.currentContext()));
                return false;
            }
        }
        if (is(SLOT_FINAL) && !is(SLOT_FULL) && !cancelled()) complete();
        return true;
    }

    /** True while a final event waits in the slot for demand. */
    boolean finalPending() {
        return is(SLOT_FINAL) && !isDone() && !cancelled();
    }

    /** Any thread, once: onComplete. */
    void complete() {
        if (setOnce(DONE)) {
            CoreSubscriber<? super KEvent> a = actual;
            actual = null;
            if (a == null) return;
            try {
                a.onComplete();
            } catch (Throwable t) {
                LOG.warn("subscriber threw from onComplete", t);
            }
        }
    }

    /** Any thread, once: onError. */
    void fail(Throwable error) {
        if (setOnce(DONE)) {
            CoreSubscriber<? super KEvent> a = actual;
            actual = null;
            if (a == null) return;
            try {
                a.onError(error);
            } catch (Throwable t) {
                LOG.warn("subscriber threw from onError", t);
            }
        } else {
            Operators.onErrorDropped(error, reactor.util.context.Context.empty());
        }
    }

    /** Any thread, once: gives back what the registration opened (an fd), after its knote is gone. */
    void release() {
        Runnable r = interest.release();
        if (r != null && setOnce(RELEASED)) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("releasing the registration of ident {} failed", ident, e);
            }
        }
    }

    /** Lets go of the subscriber once the tap is cancelled, so that it can be collected. */
    void forget() {
        if (!isDone() && cancelled()) actual = null;
    }
}
