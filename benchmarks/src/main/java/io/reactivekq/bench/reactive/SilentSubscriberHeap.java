package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import io.reactivekq.UserEvent;
import io.reactivekq.kqueue.KEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Heap growth while a subscriber that requests nothing sits on a source that fires 10
 * million times: a reactive-kq user event (shared with an eager subscriber, so that the knote
 * keeps firing and the silent subscriber's share coalesces in its slot), next to
 * {@code Flux.create(BUFFER)} with the same two subscribers' worth of work. Whole-process:
 * used heap after full GCs before and after.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -Xmx2g -cp benchmarks/target/benchmarks.jar \
 *     io.reactivekq.bench.reactive.SilentSubscriberHeap [events]</pre>
 */
public final class SilentSubscriberHeap {
    private SilentSubscriberHeap() {}

    static final class Silent<T> extends BaseSubscriber<T> {
        volatile T last;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // no demand until the end
        }

        @Override
        protected void hookOnNext(T value) {
            last = value;
        }
    }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        try (KqPoller poller = KqPoller.create("kq-silent")) {
            UserEvent u = poller.userEvent();
            AtomicLong eager = new AtomicLong();
            Disposable e = u.flux().subscribe(ev -> eager.addAndGet(ev.data()));
            Silent<KEvent> silent = new Silent<>();
            u.flux().subscribe(silent);
            long before = Heap.usedAfterGc();
            long start = System.nanoTime();
            for (long i = 0; i < events; i++) u.trigger();
            while (eager.get() < events) Thread.onSpinWait();
            long millis = (System.nanoTime() - start) / 1_000_000;
            long after = Heap.usedAfterGc();
            System.out.printf("kq user event: %,d triggers in %,d ms, heap growth %,d bytes (eager got %,d)%n",
                events, millis, after - before, eager.get());
            silent.request(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (silent.last == null && System.nanoTime() < deadline) Thread.onSpinWait();
            System.out.printf("  the silent subscriber's first request: %s%n", silent.last);
            silent.cancel();
            e.dispose();
        }
        @SuppressWarnings("unchecked")
        FluxSink<Long>[] sink = new FluxSink[1];
        Silent<Long> silent = new Silent<>();
        Flux.<Long>create(s -> sink[0] = s, FluxSink.OverflowStrategy.BUFFER).subscribe(silent);
        Long one = 1L;
        long before = Heap.usedAfterGc();
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) sink[0].next(one);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long after = Heap.usedAfterGc();
        System.out.printf("Flux.create(BUFFER): %,d next() in %,d ms, heap growth %,d bytes%n",
            events, millis, after - before);
        silent.cancel();
    }
}
