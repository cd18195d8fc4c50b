package io.reactivekq;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.Fd;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.poller.Interest;
import io.reactivekq.poller.Poller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;

/**
 * The entry point: kernel events as cold {@code Flux<KEvent>}s, all served by one poller
 * thread.
 *
 * <pre>{@code
 * KqPoller.shared().timer(Duration.ofMillis(100))
 *     .take(5)
 *     .subscribe(ev -> System.out.println(ev.data() + " expiration(s)"));
 * }</pre>
 *
 * <p>Each subscriber gets its own registration, added disarmed and armed (EV_ENABLE) only
 * while it has demand; each delivery disarms it (EV_DISPATCH). Events without demand coalesce
 * in the knote, so a slow subscriber costs constant memory. A subscriber whose demand is
 * already unbounded when its registration reaches the poller ({@code subscribe(consumer)})
 * gets a knote without EV_DISPATCH that simply stays armed. Signals are emitted on the poller
 * thread: handlers must not block there ({@code publishOn} moves work off it). Subscribers of
 * the same (filter, ident) on one poller share one knote and each receive only their own notes.
 */
public final class KqPoller implements AutoCloseable {
    /** Changes and events per kevent call (a changelist never outgrows the event list, so receipts fit). */
    private static final int BATCH = 1024;
    private static final Object SHARED_LOCK = new Object();
    private static volatile KqPoller shared;

    private final Poller poller;
    private final boolean isShared;

    private KqPoller(Poller poller, boolean isShared) {
        this.poller = poller;
        this.isShared = isShared;
    }

    /** A poller on {@code kq}, which it owns; for tests that decorate the SPI. */
    KqPoller(String name, KQueue kq) {
        this(Poller.start(name, kq, BATCH), false);
    }

    /**
     * The process-wide poller: a daemon thread started on first use. It cannot be closed.
     *
     * @throws KqException when no kqueue can be opened (ENOSYS on an unsupported OS)
     */
    public static KqPoller shared() {
        KqPoller p = shared;
        if (p == null) {
            synchronized (SHARED_LOCK) {
                p = shared;
                if (p == null) {
                    p = new KqPoller(Poller.start("kq-poller-shared", KQueue.open(), BATCH), true);
                    shared = p;
                }
            }
        }
        return p;
    }

    /** A poller with its own (daemon) thread and kqueue; {@link #close()} ends both. */
    public static KqPoller create() {
        return create(null);
    }

    /** As {@link #create()}, naming the thread. */
    public static KqPoller create(String threadName) {
        return new KqPoller(Poller.start(threadName, KQueue.open(), BATCH), false);
    }

    // ---- fd readiness ---------------------------------------------------------------------

    /** EVFILT_READ on {@code fd}: data is the bytes readable; completes at EOF with nothing left. */
    public Flux<KEvent> read(int fd) {
        return fixed(Interest.of(EvFilt.READ, fd, 0, 0, 0, 0));
    }

    /** EVFILT_WRITE on {@code fd}: data is the space free; completes when the reader is gone. */
    public Flux<KEvent> write(int fd) {
        return fixed(Interest.of(EvFilt.WRITE, fd, 0, 0, 0, 0));
    }

    /**
     * Readiness of {@code fd} for reading, as an edge-triggered epoll reports it: an event
     * when data (or a connection, or EOF) arrives, whose data is 1 rather than a byte count
     * (EVFILT_READ with {@link Note#READINESS} and EV_CLEAR). Read until EAGAIN in each onNext.
     * With unbounded demand ({@code subscribe(consumer)}) the knote stays armed and, on Linux,
     * takes no count at all (two system calls per event fewer than {@link #read}); bytes left
     * unread bring no new event until more arrive. With bounded demand each re-arm checks once,
     * with a count, whether data waits (one call fewer than {@link #read}), so each request
     * brings an event while unread data remains. Completes after the EV_EOF event, whose data
     * is what was left to read.
     */
    public Flux<KEvent> readable(int fd) {
        return fixed(Interest.of(EvFilt.READ, fd, Ev.CLEAR, Note.READINESS, 0, 0));
    }

    /**
     * Readiness of {@code fd} for writing, edge-triggered as {@link #readable}: an event when
     * it is writable at subscribe, then whenever the kernel reports space freed (always once a
     * full buffer drains; Unix-domain sockets on each read by the peer; other epoll wakeups,
     * such as the peer's shutdown, may add one), so treat each event as "try writing"; data is
     * 1, no free-space count (which costs two system calls per event on a Linux socket).
     * Completes when the reader is gone.
     */
    public Flux<KEvent> writable(int fd) {
        return fixed(Interest.of(EvFilt.WRITE, fd, Ev.CLEAR, Note.READINESS, 0, 0));
    }

    // ---- vnode ----------------------------------------------------------------------------

    /** Every vnode note on {@code fd}. */
    public static final int ALL_VNODE_NOTES =
        Note.DELETE | Note.WRITE | Note.EXTEND | Note.ATTRIB | Note.LINK | Note.RENAME | Note.REVOKE;

    /** EVFILT_VNODE on an open fd (the caller keeps it open); completes on NOTE_DELETE or NOTE_REVOKE. */
    public Flux<KEvent> vnode(int fd, int notes) {
        return fixed(Interest.of(EvFilt.VNODE, fd, 0, notes, 0, 0));
    }

    /** Every vnode note of {@code path}. */
    public Flux<KEvent> vnode(Path path) {
        return vnode(path, ALL_VNODE_NOTES);
    }

    /**
     * EVFILT_VNODE on {@code path}: each subscriber opens its own close-on-exec fd, closed
     * when its registration ends. A path that cannot be opened is an onError (ENOENT...).
     */
    public Flux<KEvent> vnode(Path path, int notes) {
        Objects.requireNonNull(path, "path");
        return flux(() -> {
            int fd = Fd.openForWatch(path);
            return Interest.of(EvFilt.VNODE, fd, 0, notes, 0, 0, () -> Fd.close(fd));
        }, "vnode(" + path + ")");
    }

    // ---- process --------------------------------------------------------------------------

    /** EVFILT_PROC NOTE_EXIT for {@code pid}: one event (data: the wait status) and complete. */
    public Flux<KEvent> process(long pid) {
        return process(pid, Note.EXIT);
    }

    /**
     * EVFILT_PROC with the given notes (NOTE_EXIT is always watched, so the flux completes;
     * without NOTE_EXIT among {@code notes} the exit is onComplete alone). NOTE_TRACK is an
     * onError (EINVAL).
     */
    public Flux<KEvent> process(long pid, int notes) {
        return fixed(Interest.of(EvFilt.PROC, pid, 0, notes, 0, 0));
    }

    public Flux<KEvent> process(ProcessHandle process) {
        return process(process.pid());
    }

    public Flux<KEvent> process(Process process) {
        return process(process.pid());
    }

    // ---- signal ---------------------------------------------------------------------------

    /** EVFILT_SIGNAL: data counts deliveries of {@code signo} since the last event. */
    public Flux<KEvent> signal(int signo) {
        return fixed(Interest.of(EvFilt.SIGNAL, signo, 0, 0, 0, 0));
    }

    /** EVFILT_SIGNAL by name ("TERM" or "SIGTERM"); an unknown name is an onError (EINVAL). */
    public Flux<KEvent> signal(String name) {
        int signo = Signals.number(name);
        if (signo < 0) {
            return Flux.error(new KqException(Errno.EINVAL, "signal " + name, -1, "unknown signal name"));
        }
        return signal(signo);
    }

    // ---- timer ----------------------------------------------------------------------------

    /** A periodic EVFILT_TIMER: data is the expirations since the last event. */
    public Flux<KEvent> timer(Duration period) {
        return timer(period, Duration.ZERO, false);
    }

    /** A periodic timer that may fire up to {@code leeway} late, so nearby timers share a wakeup. */
    public Flux<KEvent> timer(Duration period, Duration leeway) {
        return timer(period, leeway, false);
    }

    /** A one-shot timer: one event after {@code delay}, then complete. */
    public Flux<KEvent> oneShotTimer(Duration delay) {
        return timer(delay, Duration.ZERO, true);
    }

    private Flux<KEvent> timer(Duration period, Duration leeway, boolean oneShot) {
        long nanos = saturatedNanos(period);
        long slack = saturatedNanos(leeway);
        int fflags = Note.NSECONDS | (slack != 0 ? Note.LEEWAY : 0);
        int flags = oneShot ? Ev.ONESHOT : 0;
        // One interest for every subscriber; each gets its own ident (and knote) at subscribe.
        Interest timer = Interest.of(EvFilt.TIMER, 0, flags, fflags, nanos, slack);
        return KqFlux.withFreshIdents(poller, timer, (oneShot ? "oneShotTimer(" : "timer(") + period + ")");
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    // ---- user events and the general form -------------------------------------------------

    /** A new user event of this poller, triggered from any thread. */
    public UserEvent userEvent() {
        return new UserEvent(poller.newUserSource());
    }

    /**
     * Any filter with its flags, fflags and data. Flags beyond {@link EventSpec#ALLOWED_FLAGS}
     * are an onError (EINVAL); EVFILT_USER goes through {@link #userEvent()}, which counts.
     */
    public Flux<KEvent> events(EventSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if ((spec.flags() & ~EventSpec.ALLOWED_FLAGS) != 0) {
            return Flux.error(new KqException(Errno.EINVAL, "events " + EvFilt.name(spec.filter()), spec.ident(),
                "flags " + Ev.names(spec.flags()) + ": only EV_ONESHOT and EV_CLEAR may be chosen"));
        }
        if (spec.filter() == EvFilt.USER) {
            return Flux.error(new KqException(Errno.EINVAL, "events EVFILT_USER", spec.ident(),
                "use KqPoller.userEvent(), whose handle triggers and counts"));
        }
        return fixed(Interest.of(spec.filter(), spec.ident(), spec.flags(), spec.fflags(), spec.data(), spec.ext1()));
    }

    private Flux<KEvent> fixed(Interest i) {
        if (i.filter() == EvFilt.PROC && (i.fflags() & Note.TRACK) != 0) {
            // The kqueue would register each new child itself, with this knote's udata: its
            // events would reach this subscriber under the parent's ident, and the child's
            // exit would end the parent's flux.
            return Flux.error(new KqException(Errno.EINVAL, "kevent EV_ADD EVFILT_PROC", i.ident(),
                "NOTE_TRACK is not supported by the flux: the knotes it adds for children have no subscriber;"
                    + " watch each child with a process(pid) subscription of its own"));
        }
        return KqFlux.of(poller, i);
    }

    private Flux<KEvent> flux(Supplier<Interest> interest, String description) {
        return KqFlux.describedPerSubscriber(poller, interest, description);
    }

    // ---- lifecycle ------------------------------------------------------------------------

    /** True once closed: new subscriptions fail with EBADF. */
    public boolean isClosed() {
        return poller.isClosed();
    }

    /**
     * Ends the poller's thread: every live subscription completes, the kqueue and every fd
     * the registrations opened are closed. Idempotent; the shared poller refuses.
     */
    @Override
    public void close() {
        if (isShared) throw new UnsupportedOperationException("the shared poller lives as long as the JVM");
        poller.close();
    }

    /** The loop, for diagnostics in tests of this package. */
    Poller loop() {
        return poller;
    }

    @Override
    public String toString() {
        return "KqPoller{" + poller.name() + (isClosed() ? ", closed" : "") + "}";
    }
}
