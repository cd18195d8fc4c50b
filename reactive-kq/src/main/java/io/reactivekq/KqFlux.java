package io.reactivekq;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.poller.Interest;
import io.reactivekq.poller.Poller;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * A cold {@code Flux<KEvent>}: each subscriber makes its own registration, described afresh
 * per subscriber (a timer gets its own ident, a path watch opens its own fd).
 */
final class KqFlux extends Flux<KEvent> implements Scannable {
    private final Poller poller;
    private final Supplier<Interest> interest;
    private final String description;

    KqFlux(Poller poller, Supplier<Interest> interest, String description) {
        this.poller = poller;
        this.interest = interest;
        this.description = description;
    }

    @Override
    public void subscribe(CoreSubscriber<? super KEvent> actual) {
        Interest i;
        try {
            i = interest.get();
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        poller.subscribe(i, actual);
    }

    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.RUN_STYLE) return Attr.RunStyle.ASYNC;
        if (key == Attr.NAME) return description;
        return null;
    }

    @Override
    public String stepName() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
