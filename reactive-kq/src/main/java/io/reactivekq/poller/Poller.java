package io.reactivekq.poller;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The scan/drain loop: one platform thread owning one {@link KQueue}. Each turn it takes the
 * ops other threads queued, turns the knotes they touched into one changelist (at most one
 * entry per knote), makes one {@code kevent()} call that applies the changes and waits, and
 * hands what comes back to the subscribers. A thread that queues an op while the loop sleeps
 * wakes it by triggering an EVFILT_USER knote; the loop's own thread never does.
 */
public final class Poller implements AutoCloseable {
    private static final Logger LOG = Loggers.getLogger(Poller.class);
    /** The ident of the loop's wakeup knote (EVFILT_USER); user handles count up from 1. */
    static final long WAKE_IDENT = Long.MAX_VALUE;
    private static final KEvent WAKE_ADD = KEvent.of(WAKE_IDENT, EvFilt.USER, Ev.ADD | Ev.CLEAR);
    private static final KEvent WAKE_TRIGGER =
        KEvent.of(WAKE_IDENT, EvFilt.USER, 0, io.reactivekq.kqueue.Note.TRIGGER, 0, 0);
    private static final int RUNNING = 0;
    private static final int SLEEPING = 1;
    /** Ops taken from the queue per turn, so that a flood cannot starve event delivery. */
    private static final int OPS_PER_TURN = 4096;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String name;
    private final KQueue kq;
    private final LoopThread thread;
    private final OpQueue queue = new OpQueue();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final AtomicLong idents = new AtomicLong(1);
    private final AtomicLong wakeups = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean terminated;
    private volatile long turns;
    /** Loop thread only (read through {@link #opsHandled}). */
    private long opsHandled;
    private volatile long discarded;

    // Poller-thread state.
    private final ArrayDeque<Op> local = new ArrayDeque<>();
    private final MuxTable table = new MuxTable();
    private final ArrayDeque<MuxNote> dirty = new ArrayDeque<>();
    private final List<Tap> parked = new ArrayList<>();
    /** Taps gone from their knotes, whose fds wait for the EV_DELETE to be flushed. */
    private final List<Tap> releases = new ArrayList<>();
    /** Taps to release once this turn's kevent call has applied the changelist. */
    private final List<Tap> releasing = new ArrayList<>();
    private final List<Runnable> afterCall = new ArrayList<>();
    /** afterFlush tasks waiting for every change queued before them to be in a changelist. */
    private final List<Runnable> barriers = new ArrayList<>();
    private final KEvent[] changes;
    private final KEvent[] events;
    private boolean opsLeft;
    private boolean lastCallHadReceipts;
    /** The last turn's call returned events: an answer from another thread may follow soon. */
    private boolean deliveredLastTurn;
    private final SpinPolicy spin;

    private Poller(String name, KQueue kq, int batch, long spinNanos) {
        this.name = name;
        this.kq = kq;
        this.spin = new SpinPolicy(spinNanos);
        this.changes = new KEvent[batch];
        this.events = new KEvent[batch];
        this.thread = new LoopThread(this::run, name);
    }

    /** Starts a loop on {@code kq}, which it owns and closes; {@code batch} bounds both kevent lists. */
    public static Poller start(String name, KQueue kq, int batch) {
        return start(name, kq, batch, SpinPolicy.DEFAULT_SPIN_NANOS);
    }

    /**
     * As {@link #start(String, KQueue, int)}, spinning up to {@code spinNanos} for an answer
     * from another thread before sleeping after a delivery (0: never; see {@link SpinPolicy}).
     */
    public static Poller start(String name, KQueue kq, int batch, long spinNanos) {
        Poller p = new Poller(name == null ? "kq-poller-" + NAMES.incrementAndGet() : name, kq, Math.max(4, batch), spinNanos);
        // The wakeup knote exists before any thread can try to trigger it: a trigger that
        // failed with ENOENT would leave the loop asleep with nobody left to wake it.
        kq.register(WAKE_ADD);
        p.thread.start();
        return p;
    }

    /** The loop's thread: signals arrive on it, so handlers on it must not block. */
    static final class LoopThread extends Thread {
        LoopThread(Runnable body, String name) {
            super(body, name);
            setDaemon(true);
        }
    }

    // ---- any thread -----------------------------------------------------------------------

    public String name() {
        return name;
    }

    /** A fresh ident for a timer or user event of this poller. */
    public long nextIdent() {
        return idents.getAndIncrement();
    }

    /** A counting user-event source with a fresh ident. */
    public UserSource newUserSource() {
        return new UserSource(this, nextIdent());
    }

    /**
     * Registers one subscriber: onSubscribe first, then the registration goes to the loop;
     * nothing is armed before the subscriber's first request.
     */
    public void subscribe(Interest interest, CoreSubscriber<? super KEvent> subscriber) {
        register(new Tap(this, interest, interest.ident(), false, subscriber), subscriber);
    }

    /**
     * Registers one subscriber on a fresh ident of its own, with the rest of {@code interest}
     * (whose ident is ignored): timers. Such subscribers share one interest object, and their
     * knotes, which nobody else can join, are found by udata only.
     */
    public void subscribeOwnIdent(Interest interest, CoreSubscriber<? super KEvent> subscriber) {
        register(new Tap(this, interest, nextIdent(), true, subscriber), subscriber);
    }

    private void register(Tap t, CoreSubscriber<? super KEvent> subscriber) {
        subscriber.onSubscribe(t);
        if (closing || terminated) {
            t.release();
            t.fail(closedError(t));
            return;
        }
        submit(new Op(Op.SUBSCRIBE, t, null));
    }

    /** Runs {@code task} on the loop right after the changes queued before it reached the kqueue. */
    public <T> CompletableFuture<T> afterFlush(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                f.complete(task.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        };
        if (terminated) {
            r.run();
        } else {
            submit(new Op(Op.BARRIER, null, r));
        }
        return f;
    }

    /** Diagnostic: the number of knotes the loop holds for subscribers (not its wakeup). */
    public CompletableFuture<Integer> knoteCount() {
        return afterFlush(table::size);
    }

    /** Diagnostic: ops the loop has handled, this query's own included (read on the loop). */
    public CompletableFuture<Long> opsHandled() {
        return afterFlush(() -> opsHandled);
    }

    /** Diagnostic: loop turns so far (one kevent call each). */
    public long turns() {
        return turns;
    }

    /** Diagnostic: wakeup triggers other threads sent. */
    public long wakeups() {
        return wakeups.get();
    }

    /** Diagnostic: spins the loop made before a sleep (see {@link SpinPolicy}). */
    public long spins() {
        return spin.spins();
    }

    /** Diagnostic: spins that ended with an op, so the loop did not sleep. */
    public long spinHits() {
        return spin.hits();
    }

    /** Diagnostic: counts (user triggers, timer expirations) dropped undelivered by cancels. */
    public long discardedCounts() {
        return discarded;
    }

    /** Diagnostic: the loop is (about to be) blocked in kevent with nothing to do. */
    public boolean isSleeping() {
        return state.get() == SLEEPING;
    }

    public boolean isPollerThread() {
        return Thread.currentThread() == thread;
    }

    public boolean isClosed() {
        return closing || terminated;
    }

    /**
     * Ends the loop: every live subscriber completes, pending subscriptions fail with EBADF,
     * the kqueue and every fd the registrations opened are closed. Waits for the loop unless
     * called on it.
     */
    @Override
    public void close() {
        closing = true;
        wakeIfSleeping();
        if (isPollerThread()) return;
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                LOG.warn("poller {} did not stop within 30 s: a handler on its thread is blocking", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues an op for the loop; from the loop's own thread without any wakeup. */
    void submit(Op op) {
        if (isPollerThread()) {
            local.add(op);
            return;
        }
        queue.offer(op);
        if (terminated) {
            // The loop's last drain stops at the first op not yet linked, so it may have missed
            // this one and every op behind it, including ops whose submitters saw the loop still
            // running. Each submitter that finds the loop gone therefore refuses from its own op
            // on; the claim keeps an op from being refused (or handled) twice.
            for (Op o = op; o != null; o = o.next) refuse(o);
            return;
        }
        wakeIfSleeping();
    }

    private void wakeIfSleeping() {
        if (state.get() == SLEEPING && state.compareAndSet(SLEEPING, RUNNING)) {
            wakeups.incrementAndGet();
            try {
                kq.register(WAKE_TRIGGER);
            } catch (KqException e) {
                // The kqueue is closing: the loop is leaving anyway.
            }
        }
    }

    private static KqException closedError(Tap t) {
        return new KqException(Errno.EBADF, "subscribe " + EvFilt.name(t.interest.filter()), t.ident, "the poller is closed");
    }

    // ---- the loop -------------------------------------------------------------------------

    private void run() {
        Throwable failure = null;
        LOG.debug("poller {} started on {}", name, kq.backend());
        try {
            while (!closing) turn();
        } catch (Throwable t) {
            failure = t;
            LOG.error("poller {} failed; terminating its subscriptions", name, t);
        } finally {
            shutdown(failure);
        }
    }

    /** One turn: ops, changelist, one kevent call, drain. */
    private void turn() {
        takeOps();
        int nch = flush(0);
        if (dirty.isEmpty()) {
            // Every EV_DELETE is in this changelist: what the gone taps opened may close after it.
            // (Guarded: ArrayList.addAll copies its argument into a new array even when it is empty,
            // and this runs every turn.)
            if (!releases.isEmpty()) {
                releasing.addAll(releases);
                releases.clear();
            }
            // An EV_ADD held back for a turn (see flush) is not applied yet: its barrier waits.
            if (!barriers.isEmpty()) {
                afterCall.addAll(barriers);
                barriers.clear();
            }
        }
        boolean busy = opsLeft || !dirty.isEmpty() || !local.isEmpty() || !afterCall.isEmpty() || !barriers.isEmpty();
        // Only a call with nothing to apply waits for the spin: changes are never held back.
        if (!busy && nch == 0 && deliveredLastTurn && spin.shouldSpin()) {
            busy = opArrivesWithin(spin.spinNanos());
            spin.record(busy);
        }
        int n = awaitEvents(nch, busy);
        turns++;
        // Indexed loops: an iterator per turn is garbage wherever the JIT has not (yet) removed it.
        for (int i = 0; i < releasing.size(); i++) releasing.get(i).release();
        releasing.clear();
        for (int i = 0; i < afterCall.size(); i++) afterCall.get(i).run();
        afterCall.clear();
        boolean delivered = false;
        for (int i = 0; i < n; i++) {
            KEvent ev = events[i];
            events[i] = null;
            delivered |= route(ev);
            runLocal();
        }
        // Wakeups and receipts are no deliveries: nobody is about to answer them.
        deliveredLastTurn = delivered;
    }

    /** The one kevent call of a turn: applies the changelist and, unless busy, sleeps for events. */
    private int awaitEvents(int nch, boolean busy) {
        long timeout = 0;
        if (!busy) {
            state.set(SLEEPING);
            if (queue.isEmpty() && !closing) timeout = KQueue.FOREVER;
        }
        try {
            return kq.kevent(changes, nch, events, events.length, timeout);
        } finally {
            state.set(RUNNING);
            Arrays.fill(changes, 0, nch, null);
        }
    }

    /** Watches the op queue for up to {@code nanos}; true when an op (or close) came. */
    private boolean opArrivesWithin(long nanos) {
        long end = System.nanoTime() + nanos;
        do {
            if (!queue.isEmpty() || closing) return true;
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0);
        return false;
    }

    private void takeOps() {
        Op op;
        int budget = OPS_PER_TURN;
        while (budget-- > 0 && (op = queue.poll()) != null) handle(op);
        opsLeft = !queue.isEmpty();
        runLocal();
    }

    private void runLocal() {
        Op op;
        while ((op = local.poll()) != null) handle(op);
    }

    private void handle(Op op) {
        // Marks the op as acted on, so that a submitter finding the loop ended a moment later
        // does not refuse it too. (No refusal can have come first: they start only after the
        // loop has stopped handling ops.)
        if (!op.claim()) return;
        opsHandled++;
        switch (op.kind) {
            case Op.SUBSCRIBE -> attach(op.tap);
            case Op.DEMAND -> onDemand(op.tap);
            case Op.CANCEL -> {
                drop(op.tap);
                op.tap.forget();
            }
            case Op.USER_SYNC -> {
                UserSource u = (UserSource) op.arg;
                u.synced();
                MuxNote m = u.knote;
                if (m != null) {
                    m.set(MuxNote.FFLAGS_STALE, true);
                    markDirty(m);
                }
            }
            case Op.BARRIER -> barriers.add((Runnable) op.arg);
            default -> throw new IllegalStateException("op " + op.kind);
        }
    }

    private void attach(Tap t) {
        if (t.cancelled() || t.isDone()) {
            releases.add(t);
            return;
        }
        // The first subscriber's tap is the knote; later subscribers join it.
        MuxNote m;
        if (t.is(MuxNote.DETACHED)) { // its ident is its own: nobody can join
            m = t;
            table.putUnkeyed(m);
        } else {
            m = table.find(t.interest);
            if (m == null) {
                m = t;
                table.put(m);
            }
        }
        m.add(t);
        markDirty(m);
    }

    private void onDemand(Tap t) {
        if (t.isDone() || t.cancelled()) return;
        if (t.badRequest()) {
            drop(t);
            t.fail(new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive"));
            return;
        }
        if (!t.drain()) {
            drop(t);
        } else if (t.mux != null) {
            markDirty(t.mux);
        } else if (t.isDone()) {
            parked.remove(t);
            releases.add(t);
        }
    }

    /** Takes a tap off its knote (or the parked list); its resources go after the next call. */
    private void drop(Tap t) {
        discarded += t.slotCount();
        MuxNote m = t.mux;
        if (m != null) {
            m.remove(t);
            markDirty(m);
        } else {
            parked.remove(t);
        }
        releases.add(t);
    }

    private void markDirty(MuxNote m) {
        if (!m.is(MuxNote.DIRTY)) {
            m.set(MuxNote.DIRTY, true);
            dirty.add(m);
        }
    }

    /**
     * Appends one change per dirty knote while the changelist has room (receipts must fit too).
     * kevent returns as soon as it has written receipts, without collecting events; so a
     * turn after one whose call carried EV_ADDs (with EV_RECEIPT) holds new registrations
     * back, and its call collects events: a stream of subscriptions cannot starve delivery.
     */
    private int flush(int nch) {
        boolean holdAdds = lastCallHadReceipts;
        boolean receipts = false;
        MuxNote m;
        for (int budget = dirty.size(); budget > 0 && nch < changes.length && (m = dirty.poll()) != null; budget--) {
            if (holdAdds && m.needsAdd()) {
                dirty.add(m); // still dirty: next turn
                continue;
            }
            m.set(MuxNote.DIRTY, false);
            long udata = table.udata(m);
            // Only a knote still in the table: one whose change failed left it in failKnote
            // (its slot may be another knote's by now), and the counts waiting in its handle
            // belong to whatever knote the handle has next. (A failed knote is dirty again only
            // if an event marked it in the batch that carried the error, which receipt-only
            // batches rule out today; this keeps it safe if that changes.)
            if (m.taps == null && table.byUdata(udata) == m) {
                table.remove(m);
                if (m.user() != null) discarded += m.user().take();
            }
            KEvent ch = m.change(udata);
            if (ch != null) {
                changes[nch++] = ch;
                receipts |= ch.has(Ev.RECEIPT);
            }
        }
        lastCallHadReceipts = receipts;
        return nch;
    }

    /** Hands one returned event to its knote's subscribers; true when it was an event for them. */
    private boolean route(KEvent ev) {
        MuxNote m = table.byUdata(ev.udata());
        if (m == null) return false; // the wakeup, or an event of a knote that is gone
        if (ev.has(Ev.ERROR)) {
            if (ev.data() != 0) failKnote(m, ev); else m.set(MuxNote.CONFIRMED, true);
            return false;
        }
        if (m.taps == null) {
            markDirty(m); // every subscriber left; its EV_DELETE is on the way, the counts stay put
            return false;
        }
        if ((m.flags() & Ev.DISPATCH) != 0) m.set(MuxNote.ARMED, false);
        boolean fin = FilterPolicy.isFinal(ev, m.interest.fflags());
        long data = m.user() != null ? m.user().take() : ev.data();
        if (m.user() != null && data == 0 && !fin) {
            markDirty(m); // the triggers were taken with an earlier delivery
            return false;
        }
        if (fin) {
            table.detach(m);
            m.set(MuxNote.KERNEL_GONE, ev.has(Ev.ONESHOT));
        }
        for (Tap t = m.taps; t != null; ) {
            Tap next = t.nextInMux;
            if (!t.cancelled() && !t.isDone()) {
                t.offer(ev, data, fin);
                if (!t.drain()) drop(t);
            } else if (FilterPolicy.countsAdd(m.filter())) {
                discarded += data; // its cancel is queued: the count dies with it
            }
            t = next;
        }
        if (fin) {
            for (Tap t = m.taps; t != null; ) {
                Tap next = t.nextInMux;
                m.remove(t);
                if (t.finalPending()) parked.add(t); else releases.add(t);
                t = next;
            }
        }
        markDirty(m);
        return true;
    }

    /** A change on the knote failed: each of its subscribers gets the errno, the knote is forgotten. */
    private void failKnote(MuxNote m, KEvent ev) {
        String call = "kevent " + (m.is(MuxNote.CONFIRMED) ? "EV_ENABLE " : "EV_ADD ") + EvFilt.name(m.filter());
        KqException error = kq.refusal(ev, call);
        m.set(MuxNote.KERNEL_GONE, true);
        table.remove(m);
        for (Tap t = m.taps; t != null; ) {
            Tap next = t.nextInMux;
            m.remove(t);
            releases.add(t);
            t.fail(error);
            t = next;
        }
    }

    private void shutdown(Throwable failure) {
        terminated = true;
        KqException error = failure == null ? null : asKqException(failure);
        List<Tap> ending = new ArrayList<>();
        for (MuxNote m : table.all()) {
            for (Tap t = m.taps; t != null; t = t.nextInMux) ending.add(t);
        }
        ending.addAll(parked);
        ending.addAll(releases);
        ending.addAll(releasing);
        Op op;
        while ((op = local.poll()) != null) refuse(op);
        while ((op = queue.poll()) != null) refuse(op);
        for (Runnable r : afterCall) r.run();
        for (Runnable r : barriers) r.run();
        try {
            kq.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the kqueue of poller {} failed", name, e);
        }
        for (Tap t : ending) {
            t.release();
            if (t.cancelled()) continue; // a cancelled subscriber hears nothing more
            if (error == null) t.complete(); else t.fail(error);
        }
        LOG.debug("poller {} stopped", name);
        finished.countDown();
    }

    /** An op that reached a loop that has ended. */
    private void refuse(Op op) {
        if (!op.claim()) return; // handled by the loop, or refused by the other side already
        switch (op.kind) {
            case Op.SUBSCRIBE -> {
                op.tap.release();
                op.tap.fail(closedError(op.tap));
            }
            case Op.BARRIER -> ((Runnable) op.arg).run();
            default -> { }
        }
    }

    private KqException asKqException(Throwable t) {
        if (t instanceof KqException k) return k;
        KqException k = new KqException(Errno.EIO, "poller " + name, -1, String.valueOf(t));
        k.initCause(t);
        return k;
    }
}
