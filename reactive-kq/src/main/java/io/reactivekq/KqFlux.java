package io.reactivekq;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.poller.Interest;
import io.reactivekq.poller.Poller;
import java.util.Locale;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * A cold {@code Flux<KEvent>}: each subscriber makes its own registration: of one fixed
 * interest (an fd, a pid, a user-event handle), of one interest with a fresh ident per
 * subscriber (a timer: each its own knote, all sharing the interest object), or of an interest
 * described afresh per subscriber (a path watch opens its own fd).
 */
final class KqFlux extends Flux<KEvent> implements Scannable {
    private final Poller poller;
    /** The interest every subscriber registers, or null when {@link #fresh} describes each. */
    private final Interest fixed;
    /** Each subscriber registers {@link #fixed} on an ident of its own. */
    private final boolean freshIdent;
    private final Supplier<Interest> fresh;
    /** Null for a fixed interest: derived from it when asked (a user-event handle is one flux each, so no string per handle). */
    private final String description;

    private KqFlux(Poller poller, Interest fixed, boolean freshIdent, Supplier<Interest> fresh, String description) {
        this.poller = poller;
        this.fixed = fixed;
        this.freshIdent = freshIdent;
        this.fresh = fresh;
        this.description = description;
    }

    /** Every subscriber registers {@code interest}. */
    static KqFlux of(Poller poller, Interest interest) {
        return new KqFlux(poller, interest, false, null, null);
    }

    /** Every subscriber registers {@code interest} (its ident ignored) on a fresh ident of the poller. */
    static KqFlux withFreshIdents(Poller poller, Interest interest, String description) {
        return new KqFlux(poller, interest, true, null, description);
    }

    /** Every subscriber registers what {@code fresh} describes for it. */
    static KqFlux describedPerSubscriber(Poller poller, Supplier<Interest> fresh, String description) {
        return new KqFlux(poller, null, false, fresh, description);
    }

    @Override
    public void subscribe(CoreSubscriber<? super KEvent> actual) {
        if (freshIdent) {
            poller.subscribeOwnIdent(fixed, actual);
            return;
        }
        Interest i = fixed;
        if (i == null) {
            try {
                i = fresh.get();
            } catch (RuntimeException e) {
                Operators.error(actual, e);
                return;
            }
        }
        poller.subscribe(i, actual);
    }

    private String description() {
        if (description != null) return description;
        String kind = fixed.user() != null ? "userEvent" : EvFilt.name(fixed.filter()).toLowerCase(Locale.ROOT);
        return kind + "(" + fixed.ident() + ")";
    }

    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.RUN_STYLE) return Attr.RunStyle.ASYNC;
        // No Attr.NAME: a name is what the user gives with Flux.name(). Metrics name their
        // meters after the nearest NAME in the chain, so reporting one here would name every
        // unnamed chain after its fd, pid or path: a meter name per registration.
        return null;
    }

    /** The step's description in {@code Scannable} walks and {@code toString()}, e.g. {@code evfilt_read(7)}. */
    @Override
    public String stepName() {
        return description();
    }

    @Override
    public String toString() {
        return description();
    }
}
