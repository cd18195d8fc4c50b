package io.reactivekq.bench.reactive;

import java.util.function.LongConsumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code Flux.create(BUFFER)} moved to a single-thread scheduler with {@code publishOn}, the
 * bridge a user would write by hand: a signal is {@code sink.next(1L)}; the subscriber runs on
 * the scheduler's thread once per value (nothing coalesces).
 */
final class FluxCreateLoop implements SignalLoop {
    private final Scheduler single;
    private final Disposable subscription;
    private FluxSink<Long> sink;

    FluxCreateLoop(LongConsumer onValue) {
        single = Schedulers.newSingle("flux-create-consumer");
        subscription = Flux.<Long>create(s -> sink = s, FluxSink.OverflowStrategy.BUFFER)
            .publishOn(single)
            .subscribe(onValue::accept);
    }

    @Override
    public void signal() {
        sink.next(1L);
    }

    @Override
    public void close() {
        subscription.dispose();
        single.dispose();
    }
}
