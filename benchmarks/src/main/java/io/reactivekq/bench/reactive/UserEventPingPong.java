package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import io.reactivekq.UserEvent;
import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Events per second handed from the benchmark thread to an event-loop thread and consumed
 * there, one at a time (each op signals once and waits until the loop thread has seen it):
 * a reactive-kq user event, a java.nio Selector loop woken by {@code wakeup()}, and
 * {@code Flux.create(BUFFER)} moved to a single-thread scheduler with {@code publishOn}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class UserEventPingPong {
    private final AtomicLong seen = new AtomicLong();
    private long sent;

    private KqPoller poller;
    private UserEvent user;
    private Disposable kqSub;

    private Selector selector;
    private Thread selectorLoop;
    private volatile boolean running;

    private Scheduler single;
    private FluxSink<Long> sink;
    private Disposable createSub;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        poller = KqPoller.create("kq-bench-user");
        user = poller.userEvent();
        kqSub = user.flux().subscribe(ev -> seen.addAndGet(ev.data()));

        selector = Selector.open();
        running = true;
        selectorLoop = new Thread(() -> {
            try {
                while (running) {
                    selector.select();
                    seen.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "selector-loop");
        selectorLoop.setDaemon(true);
        selectorLoop.start();

        single = Schedulers.newSingle("flux-create-consumer");
        createSub = Flux.<Long>create(s -> sink = s, FluxSink.OverflowStrategy.BUFFER)
            .publishOn(single)
            .subscribe(v -> seen.incrementAndGet());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kqSub.dispose();
        poller.close();
        running = false;
        selector.wakeup();
        selectorLoop.join(5000);
        selector.close();
        createSub.dispose();
        single.dispose();
    }

    private void awaitSeen() {
        long want = ++sent;
        while (seen.get() < want) Thread.onSpinWait();
    }

    private void resync() {
        sent = seen.get();
    }

    @Benchmark
    public void kqUserEvent() {
        resync();
        user.trigger();
        awaitSeen();
    }

    @Benchmark
    public void selectorWakeup() {
        resync();
        selector.wakeup();
        awaitSeen();
    }

    @Benchmark
    public void fluxCreateBuffer() {
        resync();
        sink.next(1L);
        awaitSeen();
    }
}
