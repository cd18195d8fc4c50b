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
 * Signals handed from the benchmark thread to an event-loop thread one at a time: one op
 * signals once and spins until the loop thread has seen that signal, so the score is round
 * trips per second (the inverse of the hand-off latency). The loops are a reactive-kq user
 * event ({@code trigger()}, subscriber on the poller thread), a thread blocked in
 * {@code Selector.select()} woken by {@code wakeup()}, and {@code Flux.create(BUFFER)} moved to
 * a single-thread scheduler with {@code publishOn}.
 *
 * <p>Between two signals the loop thread blocks, so the score is mostly the cost of waking a
 * blocked thread; on a virtual machine that is dominated by whether the loop thread's vCPU
 * halted meanwhile, and it moves a lot with which other idle threads exist in the JVM. Each
 * method here therefore has its own state: its fork holds only its own loop thread. {@link UserEventPingPongShared} runs the same ops with all three loops
 * open in every fork (the set-up of the first version of this benchmark), so the effect of the
 * other idle threads can be shown side by side rather than hidden in one of the two numbers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class UserEventPingPong {

    /** One op: signal once and spin until {@code seen} (counted by the loop thread) shows it. */
    static void round(SignalLoop loop, AtomicLong seen) {
        long want = seen.get() + 1;
        loop.signal();
        while (seen.get() < want) Thread.onSpinWait();
    }

    /** The user event's subscriber adds each event's trigger count. */
    static SignalLoop kqLoop(AtomicLong seen) {
        return new KqUserLoop(seen::addAndGet);
    }

    /** The loop thread counts one per return from {@code select()}. */
    static SignalLoop selectorLoop(AtomicLong seen) {
        return new SelectorLoop(seen::incrementAndGet);
    }

    /** The subscriber counts one per value. */
    static SignalLoop fluxCreateLoop(AtomicLong seen) {
        return new FluxCreateLoop(v -> seen.incrementAndGet());
    }

    /** One loop, opened for the trial, and what its thread has seen. */
    abstract static class OneLoop {
        final AtomicLong seen = new AtomicLong();
        SignalLoop loop;

        abstract SignalLoop open();

        @Setup(Level.Trial)
        public void setUp() {
            loop = open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Kq extends OneLoop {
        @Override
        SignalLoop open() {
            return kqLoop(seen);
        }
    }

    @State(Scope.Benchmark)
    public static class Wakeup extends OneLoop {
        @Override
        SignalLoop open() {
            return selectorLoop(seen);
        }
    }

    @State(Scope.Benchmark)
    public static class FluxCreate extends OneLoop {
        @Override
        SignalLoop open() {
            return fluxCreateLoop(seen);
        }
    }

    @Benchmark
    public void kqUserEvent(Kq s) {
        round(s.loop, s.seen);
    }

    @Benchmark
    public void selectorWakeup(Wakeup s) {
        round(s.loop, s.seen);
    }

    @Benchmark
    public void fluxCreateBuffer(FluxCreate s) {
        round(s.loop, s.seen);
    }
}
