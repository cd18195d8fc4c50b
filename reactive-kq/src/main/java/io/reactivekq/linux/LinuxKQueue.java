package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.EpollEvents;
import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.NativeArena;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The Linux emulation of a kqueue: the kernel's knote core (register, pending queue, scan)
 * in Java, with sources over one epoll instance. One lock guards all state; it is released
 * only while a caller sleeps in epoll_wait, so other threads can change knotes meanwhile and
 * wake the sleeper through an eventfd.
 */
public final class LinuxKQueue implements KQueue {
    private static final int WAIT_BATCH = 128;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noWaiters = lock.newCondition();
    private final NativeArena arena = new NativeArena();
    private final int epfd;
    private final Wakeup wakeup;
    private final Filters filters = new Filters();
    private final KnoteTable[] knotes;
    private final PendingQueue pending = new PendingQueue();
    private final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<EpollEvents> spareBuffers = new ArrayDeque<>();
    private EpollSource[] sourcesByFd = new EpollSource[256];
    private Inotify inotify;
    private WriteEpoll writeEpoll;
    private int waiters;
    /**
     * The number of the current kevent call, renewed when a caller returns from a wait; never
     * {@link Knote#NOT_FRESH} (see {@link #nextCall}).
     */
    private int call;
    /** The exception behind the last refused change, so that kevent can throw it with its hint. */
    private KqException lastRefusal;
    private final Refusals refusals = new Refusals();
    private boolean closed;
    /** The last call to return events found them without an epoll_wait (see collect). */
    private boolean lastCallSkippedEpoll;
    /** epoll_wait calls made; a diagnostic for tests. */
    private long epollWaits;
    /** System calls READ and WRITE knotes on epoll-watched fds made to count bytes or space; a test diagnostic. */
    private long fdCounts;

    private LinuxKQueue(int epfd) {
        this.epfd = epfd;
        this.knotes = new KnoteTable[Filters.COUNT];
        for (int i = 0; i < knotes.length; i++) knotes[i] = new KnoteTable();
        Wakeup w = null;
        try {
            w = new Wakeup();
            addSource(w, LinuxSys.EPOLLIN | LinuxSys.EPOLLET);
        } catch (RuntimeException e) {
            if (w != null) w.close();
            LinuxSys.close(epfd);
            arena.close();
            throw e;
        }
        this.wakeup = w;
    }

    /** Opens an emulated kqueue: one epoll fd and one eventfd, both close-on-exec. */
    public static LinuxKQueue open() {
        int epfd = LinuxSys.epollCreate();
        if (epfd < 0) throw new KqException(-epfd, "kqueue: epoll_create1", -1);
        return new LinuxKQueue(epfd);
    }

    @Override
    public String backend() {
        return "linux-emulated";
    }

    // ---- kevent ------------------------------------------------------------------------------

    @Override
    public int kevent(KEvent[] changes, int nchanges, KEvent[] events, int nevents, long timeoutNanos) {
        if (nchanges < 0 || nchanges > changes.length || nevents < 0 || nevents > events.length) {
            throw new KqException(Errno.EINVAL, "kevent", -1,
                "nchanges " + nchanges + "/" + changes.length + ", nevents " + nevents + "/" + events.length);
        }
        lock.lock();
        try {
            ensureOpen("kevent");
            nextCall();
            int n = applyChanges(changes, nchanges, events, nevents);
            if (n == 0) n = collect(events, nevents, timeoutNanos);
            // Events this caller had no room for belong to another sleeper: one wake reaches
            // only one of them, and this caller may have drained it.
            if (waiters > 0 && !pending.isEmpty()) wakeup.wake();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Numbers a new kevent call (or a caller's return from its wait). The number is an int, to
     * keep {@link Knote#freshCall} 4 bytes, so it wraps after 2^32 - 1 calls; a knote's
     * freshCall from before the wrap could then equal a call number to come and make the scan
     * deliver it without re-checking a condition that may no longer hold. So at the wrap (at
     * a million calls a second, once every 71 minutes) every knote is reset to NOT_FRESH,
     * which the counter skips. Queued knotes are all in the tables, so the pass over the
     * tables reaches each one that a scan can look at. Freshness only saves a re-check: a
     * reset knote is merely re-evaluated.
     */
    private void nextCall() {
        if (++call != Knote.NOT_FRESH) return;
        for (KnoteTable t : knotes) {
            for (Knote kn : t.all()) kn.freshCall = Knote.NOT_FRESH;
        }
        call++;
    }

    /** Test hook: runs {@code r} holding the kqueue's lock, so that a woken sleeper waits for it. */
    void holdLockForTest(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    /** Test hook: whether the native buffers (the epoll and inotify buffers) are still allocated. */
    boolean holdsNativeMemoryForTest() {
        return arena.isOpen();
    }

    /** Test hook: makes the next kevent call number {@code next} (standing in for many calls). */
    void setNextCallForTest(int next) {
        lock.lock();
        try {
            call = next - 1;
        } finally {
            lock.unlock();
        }
    }

    private int applyChanges(KEvent[] changes, int nchanges, KEvent[] events, int nevents) {
        int n = 0;
        boolean wake = false;
        for (int i = 0; i < nchanges; i++) {
            KEvent ch = changes[i];
            int err = register(ch);
            wake = true;
            if (err != 0 || (ch.flags() & Ev.RECEIPT) != 0) {
                if (n < nevents) {
                    events[n++] = new KEvent(ch.ident(), ch.filter(), Ev.ERROR, ch.fflags(), err, ch.udata(),
                        ch.ext0(), ch.ext1());
                    if (err != 0) refusals.keep(ch, err, lastRefusal);
                } else if (err != 0) {
                    KqException refusal = lastRefusal;
                    if (refusal != null && refusal.errno() == err && refusal.ident() == ch.ident()) throw refusal;
                    throw new KqException(err, "kevent " + Ev.names(ch.flags()) + " " + EvFilt.name(ch.filter()),
                        ch.ident(), Filters.hint(err));
                }
            }
        }
        if (wake && waiters > 0) wakeup.wake();
        return n;
    }

    @Override
    public KqException refusal(KEvent error, String call) {
        lock.lock();
        try {
            KqException why = refusals.take(error);
            return why != null ? why : KQueue.super.refusal(error, call);
        } finally {
            lock.unlock();
        }
    }

    /** kqueue_register: add, modify, delete, enable or disable one knote; returns 0 or errno. */
    private int register(KEvent ch) {
        lastRefusal = null;
        try {
            return registerOrThrow(ch);
        } catch (KqException e) {
            lastRefusal = e;
            return e.errno();
        }
    }

    /** kqueue_register for a change a filter makes itself (NOTE_TRACK adding a child); 0 or errno. */
    int registerInternal(KEvent ch) {
        return register(ch);
    }

    private int registerOrThrow(KEvent ch) {
        FilterOps ops = filters.get(ch.filter());
        if (ops == null) return Errno.EINVAL.number();
        // As the kernel does, output-only bits are ignored on input: a delivered event can be
        // fed back as a change with its EV_EOF (or EV_ERROR) still set.
        int fl = ch.flags() & ~(Ev.EOF | Ev.ERROR);
        if ((fl & ~Ev.INPUT_MASK) != 0
            || (fl & (Ev.ADD | Ev.DELETE)) == (Ev.ADD | Ev.DELETE)
            || (fl & (Ev.ENABLE | Ev.DISABLE)) == (Ev.ENABLE | Ev.DISABLE)) {
            return Errno.EINVAL.number();
        }
        KnoteTable table = knotes[Filters.index(ch.filter())];
        Knote kn = table.get(ch.ident());
        if (kn != null && (fl & Ev.ADD) != 0 && ops.dropIfStale(this, kn)) kn = null;
        if (kn == null) {
            if ((fl & Ev.ADD) == 0) return Errno.ENOENT.number();
            kn = ops.newKnote(ch);
            int err = ops.attach(this, kn);
            if (err != 0) return err;
            table.put(kn);
        } else if ((fl & Ev.DELETE) != 0) {
            drop(kn);
            return 0;
        } else {
            kn.udata = ch.udata();
            int err = ops.modify(this, kn, ch);
            if (err != 0) return err;
        }
        if ((fl & Ev.DISABLE) != 0) {
            pending.remove(kn);
            setDisabled(kn, true);
        }
        if ((fl & Ev.ENABLE) != 0) setDisabled(kn, false);
        if (!kn.has(Knote.DISABLED | Knote.DROPPED) && ops.event(this, kn, 0)) {
            kn.freshCall = call;
            kn.flags |= Knote.ACTIVE;
        }
        if ((kn.flags & (Knote.ACTIVE | Knote.QUEUED | Knote.DISABLED)) == Knote.ACTIVE) pending.addLast(kn);
        return 0;
    }

    /** Waits for and returns events; the lock is held on entry and exit. */
    private int collect(KEvent[] events, int nevents, long timeoutNanos) {
        if (nevents == 0) return 0;
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        if (!pending.isEmpty()) recheckPending();
        // A poll looks at the sources at once; with knotes still pending, so does any call,
        // so that a knote that stays ready cannot keep others from being noticed. So does a
        // call after one that returned without asking epoll at all (a timer was due): a timer
        // due at every call would otherwise hide every fd, process, signal and vnode event.
        boolean polled = timeoutNanos == 0 || !pending.isEmpty() || lastCallSkippedEpoll;
        if (polled) pollSources(0);
        while (true) {
            // The clock is read only when a timer or a deadline needs it: on the wake-up path
            // of a plain fd wait every call counts.
            boolean timed = timers.size() > 0;
            if (timed) timers.expire(this, System.nanoTime());
            int n = scan(events, nevents);
            if (n > 0 || timeoutNanos == 0) {
                lastCallSkippedEpoll = !polled;
                return n;
            }
            long now = timeoutNanos > 0 || timed ? System.nanoTime() : 0;
            long wait = timeoutNanos < 0 ? -1 : deadline - now;
            if (timeoutNanos > 0 && wait <= 0) {
                if (polled) {
                    lastCallSkippedEpoll = false;
                    return 0;
                }
                // The deadline passed before epoll was asked (a timeout of a few nanoseconds,
                // a caller preempted): look once, or such calls would never see an fd event.
                pollSources(0);
                polled = true;
                continue;
            }
            long nextTimer = timers.nextWakeNanos();
            if (nextTimer != Long.MAX_VALUE) {
                long untilTimer = Math.max(0, nextTimer - now);
                wait = wait < 0 ? untilTimer : Math.min(wait, untilTimer);
            }
            pollSources(wait);
            polled = true;
            ensureOpen("kevent (the kqueue was closed while waiting)");
        }
    }

    /**
     * Re-checks the knotes an earlier call left queued before anything else: mostly level
     * knotes delivered then, whose reader has usually drained them since. Those that no longer
     * hold leave the queue; those that do count as evaluated in this call, so the scan
     * delivers them without a second look. When none holds (and the previous call did look at
     * epoll), the call goes straight to its wait rather than first polling epoll with a zero
     * timeout — one system call less per event for a reader that drains what it is told about.
     */
    private void recheckPending() {
        for (int budget = pending.size(); budget > 0; budget--) {
            Knote kn = pending.pollFirst();
            if (stillHolds(kn)) {
                kn.freshCall = call;
                pending.addLast(kn);
            }
        }
    }

    /**
     * Whether a knote taken off the queue is still to be delivered: not disabled, and active
     * as of this call — a knote evaluated during this call (or an EV_ONESHOT one) counts as it
     * is, any other is re-evaluated, and one that no longer holds is no longer active.
     */
    private boolean stillHolds(Knote kn) {
        if (kn.has(Knote.DISABLED)) return false;
        if (kn.has(Ev.ONESHOT) || kn.freshCall == call || kn.ops.event(this, kn, 0)) return true;
        kn.flags &= ~Knote.ACTIVE;
        return false;
    }

    /** One epoll_wait, the lock released while it sleeps; routes what it returns to the sources. */
    private void pollSources(long waitNanos) {
        EpollEvents buf = spareBuffers.pollFirst();
        if (buf == null) buf = new EpollEvents(arena, WAIT_BATCH);
        epollWaits++;
        int n;
        if (waitNanos == 0) {
            n = LinuxSys.epollWait(epfd, buf, 0);
        } else {
            waiters++;
            lock.unlock();
            try {
                n = LinuxSys.epollWait(epfd, buf, waitNanos);
            } finally {
                lock.lock();
                // Other calls ran while this one slept and marked knotes evaluated under their
                // numbers (a re-check that left some queued for lack of room, a poll): a new
                // number makes this caller re-evaluate those instead of taking them as fresh.
                nextCall();
                if (--waiters == 0) noWaiters.signalAll();
            }
        }
        try {
            if (closed) return;
            if (n < 0 && n != -Errno.EINTR.number()) throw new KqException(-n, "kevent: epoll_wait", epfd);
            for (int i = 0; i < n; i++) {
                int fd = (int) buf.data(i);
                EpollSource src = fd < sourcesByFd.length ? sourcesByFd[fd] : null;
                if (src == wakeup && waitNanos == 0 && waiters > 0) {
                    // A poll took the edge meant for a sleeper (a timer moved earlier, say):
                    // hand it on, or the sleeper sleeps past what it should notice.
                    wakeup.wakeAnother();
                } else if (src != null) {
                    src.onEpoll(this, buf.events(i));
                }
            }
        } finally {
            spareBuffers.addFirst(buf);
        }
    }

    /**
     * kqueue_scan: moves up to {@code max} active knotes into {@code out}. Each queued knote is
     * looked at once per scan; level-triggered ones that still hold go back to the tail, so a
     * small event list sees every ready knote in turn.
     */
    private int scan(KEvent[] out, int max) {
        int n = 0;
        int budget = pending.size();
        while (n < max && budget-- > 0) {
            Knote kn = pending.pollFirst();
            if (!stillHolds(kn)) continue;
            FilterOps ops = kn.ops;
            out[n++] = ops.deliver(kn);
            if (kn.has(Ev.ONESHOT)) {
                drop(kn);
            } else if (kn.has(Ev.CLEAR | Ev.DISPATCH)) {
                if (kn.has(Ev.CLEAR)) {
                    kn.data = 0;
                    kn.fflags = 0;
                    ops.clear(kn);
                }
                if (kn.has(Ev.DISPATCH)) setDisabled(kn, true);
                kn.flags &= ~Knote.ACTIVE;
            } else {
                pending.addLast(kn);
            }
        }
        return n;
    }

    /** Disables or enables a knote; its filter hears of each change (a timer stops or resumes waking). */
    private void setDisabled(Knote kn, boolean disabled) {
        if (kn.has(Knote.DISABLED) == disabled) return;
        kn.flags ^= Knote.DISABLED;
        kn.ops.enabledChanged(this, kn);
    }

    // ---- services for filters and sources --------------------------------------------------

    /** KNOTE(): a source reports activity; the filter decides, the core queues. */
    void activate(Knote kn, long hint) {
        if (kn.has(Knote.DROPPED)) return;
        if (!kn.ops.event(this, kn, hint)) return;
        kn.freshCall = call;
        kn.flags |= Knote.ACTIVE;
        if (!kn.has(Knote.QUEUED | Knote.DISABLED)) pending.addLast(kn);
    }

    /** Forgets a knote's activity: not active, off the pending queue (a restarted timer, for one). */
    void deactivate(Knote kn) {
        kn.flags &= ~Knote.ACTIVE;
        pending.remove(kn);
    }

    /** Detaches and forgets a knote (EV_DELETE, EV_ONESHOT delivery, or a final source event). */
    void drop(Knote kn) {
        if (kn.has(Knote.DROPPED)) return;
        kn.flags |= Knote.DROPPED;
        pending.remove(kn);
        knotes[Filters.index(kn.filter)].remove(kn.ident);
        kn.ops.detach(this, kn);
    }

    /** close(): one knote whose source fails to detach must not keep the others (or the fds) alive. */
    private void dropQuietly(Knote kn) {
        try {
            drop(kn);
        } catch (RuntimeException e) {
            knotes[Filters.index(kn.filter)].remove(kn.ident);
        }
    }

    /** Registers a source's fd in epoll; throws KqException on failure. */
    void addSource(EpollSource src, int epollEvents) {
        int r = epollCtl(LinuxSys.EPOLL_CTL_ADD, src.fd(), epollEvents);
        if (r < 0) throw new KqException(-r, "epoll_ctl ADD", src.fd());
        putSource(src);
    }

    /** epoll_ctl for a source; returns 0 or -errno. */
    int epollCtl(int op, int fd, int epollEvents) {
        return LinuxSys.epollCtl(epfd, op, fd, epollEvents, fd);
    }

    void putSource(EpollSource src) {
        int fd = src.fd();
        if (fd >= sourcesByFd.length) sourcesByFd = Arrays.copyOf(sourcesByFd, Math.max(fd + 1, sourcesByFd.length * 2));
        sourcesByFd[fd] = src;
    }

    EpollSource source(int fd) {
        return fd >= 0 && fd < sourcesByFd.length ? sourcesByFd[fd] : null;
    }

    /**
     * Forgets a source and removes its fd from epoll (which may already be closed). When the fd
     * number now belongs to another source, the source's file was closed (epoll dropped it with
     * the file) and the number reused: removing it from epoll would unregister the new owner.
     */
    void removeSource(EpollSource src) {
        int fd = src.fd();
        if (fd >= sourcesByFd.length || sourcesByFd[fd] != src) return;
        sourcesByFd[fd] = null;
        epollCtl(LinuxSys.EPOLL_CTL_DEL, fd, 0);
    }

    TimerQueue timers() {
        return timers;
    }

    /** The kqueue's inotify instance, created on first use. */
    Inotify inotify() {
        if (inotify == null) {
            Inotify in = Inotify.open(arena);
            try {
                addSource(in, LinuxSys.EPOLLIN);
            } catch (KqException e) {
                in.close();
                throw e;
            }
            inotify = in;
        }
        return inotify;
    }

    /** The epoll instance for the WRITE side of fds READ watches too, created on first use. */
    WriteEpoll writeEpoll() {
        if (writeEpoll == null) {
            WriteEpoll w = WriteEpoll.open(arena);
            try {
                addSource(w, LinuxSys.EPOLLIN); // level-triggered: ready while it holds entries
            } catch (KqException e) {
                w.close();
                throw e;
            }
            writeEpoll = w;
        }
        return writeEpoll;
    }

    /** Wakes a thread sleeping in epoll_wait, if any (a timer moved earlier, for instance). */
    void wakeWaiters() {
        if (waiters > 0) wakeup.wake();
    }

    /** Called, under the lock, by a READ or WRITE filter each time it counts with a system call. */
    void countedFd() {
        fdCounts++;
    }

    /** How many counting calls READ and WRITE knotes have made; a diagnostic for tests. */
    long fdCounts() {
        return locked(() -> fdCounts);
    }

    /** How many epoll_wait calls this kqueue has made; a diagnostic for tests. */
    long epollWaits() {
        return locked(() -> epollWaits);
    }

    /** How many threads sleep in epoll_wait right now; a diagnostic for tests. */
    int sleepingCallers() {
        return (int) locked(() -> waiters);
    }

    /** A counter read under the lock, for the diagnostics above. */
    private long locked(LongSupplier read) {
        lock.lock();
        try {
            return read.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen(String what) {
        if (closed) throw new KqException(Errno.EBADF, what, -1, "kqueue is closed");
    }

    // ---- diagnostics and close ------------------------------------------------------------

    /** The number of knotes registered, per filter name; a diagnostic view for tests and tools. */
    public Map<String, Integer> knoteCounts() {
        lock.lock();
        try {
            Map<String, Integer> m = new HashMap<>();
            for (short f : Filters.FILTERS) {
                int c = knotes[Filters.index(f)].size();
                if (c > 0) m.put(EvFilt.name(f), c);
            }
            return m;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes every caller sleeping in kevent (each returns EBADF), waits for them to leave, and
     * releases every knote, fd and native buffer. An interrupt does not cut the wait short:
     * the kqueue is already marked closed, so giving up would leak everything it holds. The
     * thread's interrupt status is set again on return.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            while (waiters > 0) {
                wakeup.wakeAnother();
                try {
                    noWaiters.await(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            List<Knote> all = new ArrayList<>();
            for (KnoteTable t : knotes) all.addAll(t.all());
            try {
                for (Knote kn : all) dropQuietly(kn);
            } finally {
                timers.clear();
                if (inotify != null) inotify.close();
                if (writeEpoll != null) writeEpoll.close();
                wakeup.close();
                LinuxSys.close(epfd);
                arena.close();
            }
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
