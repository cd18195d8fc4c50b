package io.reactivekq.poller;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound (found through its service loader when on the path) that a poller
 * thread is non-blocking, so handlers that block on it are reported, and that the poller's
 * own wait in kevent, its bounded spin before that wait ({@code Thread.onSpinWait}, which
 * BlockHound counts as blocking), the wakeup another thread sends and the final close of the
 * kqueue are the blocking it is allowed.
 */
public final class PollerBlockHoundIntegration implements BlockHoundIntegration {
    /** The method holding the loop's one kevent call. */
    static final String WAIT_METHOD = "awaitEvents";
    /** The method holding the loop's spin before a sleep (at most the poller's spin time, see SpinPolicy). */
    static final String SPIN_METHOD = "opArrivesWithin";
    /** The method other threads use to wake the loop (it takes the kqueue's lock). */
    static final String WAKE_METHOD = "wakeIfSleeping";
    /** The method that closes the kqueue when the loop ends (it waits for other callers). */
    static final String SHUTDOWN_METHOD = "shutdown";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(current -> current.or(t -> t instanceof Poller.LoopThread));
        builder.allowBlockingCallsInside(Poller.class.getName(), WAIT_METHOD);
        builder.allowBlockingCallsInside(Poller.class.getName(), SPIN_METHOD);
        builder.allowBlockingCallsInside(Poller.class.getName(), WAKE_METHOD);
        builder.allowBlockingCallsInside(Poller.class.getName(), SHUTDOWN_METHOD);
    }
}
