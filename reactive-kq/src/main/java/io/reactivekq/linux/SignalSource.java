package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.KqException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The process-wide side of EVFILT_SIGNAL: one JVM signal handler per watched signal, installed
 * with {@code sun.misc.Signal.handle}, which returns the handler it replaces. Every delivery
 * adds one to each subscribed knote's counter, wakes its kqueue, and then runs the replaced
 * handler, so that the JVM's own (shutdown on SIGTERM, SIGINT, SIGHUP) and the application's
 * keep working. The handler runs on a JVM thread, never under a kqueue lock.
 */
final class SignalSource implements SignalHandler {
    /** A knote's share: deliveries not yet reported, and the kqueue to wake. */
    static final class Subscription {
        final Knote knote;
        final SignalPort port;
        final AtomicLong pending = new AtomicLong();

        Subscription(Knote knote, SignalPort port) {
            this.knote = knote;
            this.port = port;
        }
    }

    private static final Map<Integer, SignalSource> INSTALLED = new HashMap<>();
    /**
     * Signals HotSpot serves with native handlers (SIGBUS for mapped-memory faults, SIGUSR2,
     * SIGPIPE, SIGXFSZ): Java code cannot call a native handler, so chaining is impossible and
     * replacing it would break the JVM.
     */
    private static final java.util.Set<String> NATIVE = java.util.Set.of("BUS", "USR2", "PIPE", "XFSZ");

    private final Signal signal;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The handler ours replaced; known only once Signal.handle has returned it. */
    private volatile SignalHandler previous;
    private volatile boolean chained;

    private SignalSource(Signal signal) {
        this.signal = signal;
    }

    /** Adds a subscription, installing the chaining handler on first use; EINVAL for a signal the JVM keeps. */
    static void subscribe(int signo, String name, Subscription s) {
        synchronized (INSTALLED) {
            SignalSource src = INSTALLED.get(signo);
            if (src == null) {
                if (NATIVE.contains(name)) throw nativeHandled(signo, name);
                Signal sig;
                try {
                    sig = new Signal(name);
                } catch (IllegalArgumentException e) {
                    throw refused(signo, "the JVM does not know SIG" + name);
                }
                src = new SignalSource(sig);
                try {
                    src.previous = Signal.handle(sig, src);
                    src.chained = true;
                } catch (IllegalArgumentException e) {
                    throw refused(signo, "SIG" + name + " is reserved by the JVM or the OS (" + e.getMessage() + ")");
                }
                // sun.misc wraps every handler it returns; only the wrapper's toString, which
                // names the handler it wraps, tells a native one (a C function) apart.
                if (String.valueOf(src.previous).contains("NativeHandler")) {
                    Signal.handle(sig, src.previous); // a native handler: put it back untouched
                    throw nativeHandled(signo, name);
                }
                INSTALLED.put(signo, src);
            }
            src.subscriptions.add(s);
        }
    }

    /** Removes a subscription; the replaced handler is put back with the last one, unless someone replaced ours since. */
    static void unsubscribe(int signo, Subscription s) {
        synchronized (INSTALLED) {
            SignalSource src = INSTALLED.get(signo);
            if (src == null || !src.subscriptions.remove(s) || !src.subscriptions.isEmpty()) return;
            SignalHandler current = Signal.handle(src.signal, src.previous);
            if (current != src) {
                // A later handler chains to ours: keep ours in place, forwarding only.
                Signal.handle(src.signal, current);
                return;
            }
            INSTALLED.remove(signo);
        }
    }

    private static KqException nativeHandled(int signo, String name) {
        return refused(signo, "SIG" + name + " is reserved: the JVM (or a native library) handles it natively, and a "
            + "native handler cannot be chained from Java");
    }

    private static KqException refused(int signo, String why) {
        return new KqException(Errno.EINVAL, "kevent EV_ADD EVFILT_SIGNAL", signo, why);
    }

    @Override
    public void handle(Signal sig) {
        while (!chained) Thread.onSpinWait(); // delivered between the swap and its return: the installer is about to set it
        for (Subscription s : subscriptions) {
            s.pending.incrementAndGet();
            s.port.wake();
        }
        if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
            previous.handle(sig);
        }
    }
}
