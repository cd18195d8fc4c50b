package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import io.reactivekq.UserEvent;
import io.reactivekq.kqueue.KEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Heap retained per idle registration: 100,000 subscribers that request nothing, each on its
 * own user event (or timer), against the same number of Flux.create(BUFFER) subscriptions
 * (the alternative a user would write) in the same run. Whole-process measurement: used heap
 * after full GCs, before and after, divided by the count.
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

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (KqPoller poller = KqPoller.create("kq-footprint")) {
            report("user event (handle + subscriber + knote)", count, () -> {
                List<Object> keep = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    UserEvent u = poller.userEvent();
                    Idle s = new Idle();
                    u.flux().subscribe(s);
                    keep.add(u);
                    keep.add(s);
                }
                sync(poller);
                return keep;
            });
            report("timer 1 h (subscriber + knote)", count, () -> {
                List<Object> keep = new ArrayList<>(count);
                Flux<KEvent> timer = poller.timer(Duration.ofHours(1));
                for (int i = 0; i < count; i++) {
                    Idle s = new Idle();
                    timer.subscribe(s);
                    keep.add(s);
                }
                sync(poller);
                return keep;
            });
        }
        report("Flux.create(BUFFER) (sink + subscriber)", count, () -> {
            List<Object> keep = new ArrayList<>(count);
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
            return keep;
        });
    }

    /** Waits until the poller has applied every queued registration. */
    private static void sync(KqPoller poller) throws InterruptedException {
        // A one-shot timer subscribed last completes only after the loop took every earlier op.
        poller.oneShotTimer(Duration.ofMillis(1)).blockLast(Duration.ofSeconds(60));
    }

    interface Setup {
        List<Object> make() throws Exception;
    }

    private static void report(String what, int count, Setup setup) throws Exception {
        long before = Heap.usedAfterGc();
        List<Object> keep = setup.make();
        long after = Heap.usedAfterGc();
        System.out.printf("%-45s %,d registrations: %,d bytes each%n", what, count, (after - before) / count);
        if (keep.size() < count) throw new AssertionError();
        keep.clear();
    }
}
