package io.reactivekq.bench.reactive;

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

/**
 * The ops of {@link UserEventPingPong} (one signal, spin until the loop thread has seen it),
 * but every fork opens all three loops, as the first version of that benchmark did: each
 * method runs with the other two mechanisms' loop threads idle in the same JVM (a poller thread
 * in {@code epoll_wait}, a thread in {@code select()}, a parked Reactor single-scheduler
 * thread). Kept so the effect of those idle threads on a blocked loop's wake-up can be
 * reported next to the one-loop-per-fork numbers; see {@link UserEventPingPong}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class UserEventPingPongShared {
    private final AtomicLong seen = new AtomicLong();
    private SignalLoop kq;
    private SignalLoop selector;
    private SignalLoop fluxCreate;

    @Setup(Level.Trial)
    public void setUp() {
        kq = UserEventPingPong.kqLoop(seen);
        selector = UserEventPingPong.selectorLoop(seen);
        fluxCreate = UserEventPingPong.fluxCreateLoop(seen);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kq.close();
        selector.close();
        fluxCreate.close();
    }

    @Benchmark
    public void kqUserEvent() {
        UserEventPingPong.round(kq, seen);
    }

    @Benchmark
    public void selectorWakeup() {
        UserEventPingPong.round(selector, seen);
    }

    @Benchmark
    public void fluxCreateBuffer() {
        UserEventPingPong.round(fluxCreate, seen);
    }
}
