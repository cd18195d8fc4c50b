package io.reactivekq.kqueue;

import java.time.Duration;

/**
 * A kqueue: register interest with changes, collect events, in one call.
 *
 * <p>{@link #kevent} follows kevent(2): changes are applied in order; a change that fails
 * (or any change with {@code EV_RECEIPT}) is reported as an {@code EV_ERROR} event whose data
 * is the errno, and when such receipts were written the call returns at once. When there is
 * no room for the error the call throws {@link KqException} with it. Then up to
 * {@code nevents} pending events are returned, waiting up to the timeout for the first.
 *
 * <p>Implementations are thread-safe: any thread may call {@code kevent} while another is
 * blocked in it, and a change that activates a knote wakes the blocked caller.
 */
public interface KQueue extends AutoCloseable {

    /** Wait without a deadline. */
    long FOREVER = -1L;

    /**
     * Opens a kqueue with the backend for the running OS: the emulation on Linux, the native
     * kqueue on macOS and FreeBSD.
     *
     * @throws KqException ENOSYS on an OS without a backend; the errno of the failed set-up call otherwise
     */
    static KQueue open() {
        return Backends.open(Os.current());
    }

    /**
     * Applies {@code changes[0..nchanges)} then collects up to {@code nevents} events into
     * {@code events[0..)}.
     *
     * @param timeoutNanos 0 to poll, {@link #FOREVER} (any negative) to wait without a deadline
     * @return the number of entries written to {@code events}
     * @throws KqException EBADF once closed; a change's errno when there was no room to report it
     */
    int kevent(KEvent[] changes, int nchanges, KEvent[] events, int nevents, long timeoutNanos);

    /** {@link #kevent(KEvent[], int, KEvent[], int, long)} over whole arrays; {@code null} timeout waits forever. */
    default int kevent(KEvent[] changes, KEvent[] events, Duration timeout) {
        KEvent[] ch = changes == null ? NO_EVENTS : changes;
        KEvent[] ev = events == null ? NO_EVENTS : events;
        return kevent(ch, ch.length, ev, ev.length, timeout == null ? FOREVER : timeout.toNanos());
    }

    /** Applies changes only, returning without waiting; failures throw unless EV_RECEIPT was asked for. */
    default void register(KEvent... changes) {
        kevent(changes, changes.length, NO_EVENTS, 0, 0);
    }

    /**
     * The exception for {@code error}, an EV_ERROR event this kqueue returned for a refused
     * change: the backend's own, saying why, where it kept one (each is handed out once),
     * else one naming the errno, {@code call} and the ident.
     */
    default KqException refusal(KEvent error, String call) {
        return new KqException((int) error.data(), call, error.ident());
    }

    /** The backend's name: {@code linux-emulated}, {@code macos} or {@code freebsd}. */
    String backend();

    /** Closes the kqueue and releases every fd and native buffer it holds; idempotent. */
    @Override
    void close();

    /** An empty array, for calls without changes or events. */
    KEvent[] NO_EVENTS = new KEvent[0];
}
