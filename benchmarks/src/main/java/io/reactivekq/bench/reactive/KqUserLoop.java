package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import io.reactivekq.UserEvent;
import java.util.function.LongConsumer;
import reactor.core.Disposable;

/**
 * A reactive-kq user event subscribed on its own poller: a signal is {@code trigger()}; the
 * subscriber runs on the poller thread with each event's {@code data}, the number of triggers
 * it carries (triggers coalesce while an event is pending).
 */
final class KqUserLoop implements SignalLoop {
    private final KqPoller poller;
    private final UserEvent user;
    private final Disposable subscription;

    KqUserLoop(LongConsumer onEvent) {
        poller = KqPoller.create("kq-bench-user");
        user = poller.userEvent();
        subscription = user.flux().subscribe(ev -> onEvent.accept(ev.data()));
    }

    @Override
    public void signal() {
        user.trigger();
    }

    @Override
    public void close() {
        subscription.dispose();
        poller.close();
    }
}
