package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import io.reactivekq.UserEvent;
import io.reactivekq.kqueue.KEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Heap retained per idle registration: 100,000 subscribers that request nothing, each on its
 * own user event (or timer), then timers whose subscribers requested one event that has not
 * come yet (the armed idle case), against the same number of Flux.create(BUFFER)
 * subscriptions (the alternative a user would write) in the same run. Whole-process
 * measurement: used heap after full GCs, before and after, divided by the count. The list
 * that keeps the registrations reachable is allocated before the first reading, so only what
 * a registration retains is counted.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.reactivekq.bench.reactive.IdleFootprint [count]</pre>
 */
public final class IdleFootprint {
    private IdleFootprint() {}

    /** A subscriber that never requests: the idle registration. */
    static final class Idle extends BaseSubscriber<KEvent> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // no demand
        }
    }

    /** A subscriber that asked for one event: armed, and idle while the event does not come. */
    static final class Waiting extends BaseSubscriber<KEvent> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        // A poller per row: each starts from empty tables, as one would hold only these registrations.
        try (KqPoller poller = KqPoller.create("kq-footprint-user")) {
            report("user event (handle + subscriber + knote)", count, keep -> {
                for (int i = 0; i < count; i++) {
                    UserEvent u = poller.userEvent();
                    Idle s = new Idle();
                    u.flux().subscribe(s);
                    keep.add(u);
                    keep.add(s);
                }
                sync(poller);
            });
        }
        try (KqPoller poller = KqPoller.create("kq-footprint-timer")) {
            report("timer 1 h (subscriber + knote)", count, keep -> subscribeTimers(poller, count, keep, Idle::new));
        }
        try (KqPoller poller = KqPoller.create("kq-footprint-armed")) {
            report("timer 1 h, request(1) outstanding", count, keep -> subscribeTimers(poller, count, keep, Waiting::new));
        }
        report("Flux.create(BUFFER) (sink + subscriber)", count, keep -> {
            for (int i = 0; i < count; i++) {
                @SuppressWarnings("unchecked")
                FluxSink<Object>[] sink = new FluxSink[1];
                BaseSubscriber<Object> s = new BaseSubscriber<>() {
                    @Override
                    protected void hookOnSubscribe(Subscription subscription) {}
                };
                Flux.create(sk -> sink[0] = sk, FluxSink.OverflowStrategy.BUFFER).subscribe(s);
                keep.add(sink[0]);
                keep.add(s);
            }
        });
    }

    private static void subscribeTimers(KqPoller poller, int count, List<Object> keep,
                                        Supplier<BaseSubscriber<KEvent>> subscriber) throws InterruptedException {
        Flux<KEvent> timer = poller.timer(Duration.ofHours(1));
        for (int i = 0; i < count; i++) {
            BaseSubscriber<KEvent> s = subscriber.get();
            timer.subscribe(s);
            keep.add(s);
        }
        sync(poller);
    }

    /** Waits until the poller has applied every queued registration. */
    private static void sync(KqPoller poller) throws InterruptedException {
        // A one-shot timer subscribed last completes only after the loop took every earlier op.
        poller.oneShotTimer(Duration.ofMillis(1)).blockLast(Duration.ofSeconds(60));
    }

    interface Setup {
        /** Makes the registrations, adding what keeps them alive to {@code keep}. */
        void make(List<Object> keep) throws Exception;
    }

    private static void report(String what, int count, Setup setup) throws Exception {
        List<Object> keep = new ArrayList<>(2 * count);
        long before = Heap.usedAfterGc();
        setup.make(keep);
        long after = Heap.usedAfterGc();
        System.out.printf("%-45s %,d registrations: %,d bytes each%n", what, count, (after - before) / count);
        if (keep.size() < count) throw new AssertionError();
        keep.clear();
    }
}
