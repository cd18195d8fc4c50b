package io.reactivekq.bench.reactive;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Triggers per second handed from one producer thread (the benchmark thread) to an event-loop
 * thread that accounts for every one of them. One op is one trigger. The producer triggers as
 * fast as it can but never more than {@link #WINDOW} ahead of what the loop has consumed, the
 * same window for all three, so that {@code Flux.create}'s unbounded buffer cannot grow
 * without bound and every mechanism does the same work:
 * <ul>
 * <li>reactive-kq: {@code UserEvent.trigger()}; the subscriber, on the poller thread, adds each
 *     event's {@code data} (the number of triggers it carries) to the consumed count;
 * <li>Selector: {@code pending.incrementAndGet(); selector.wakeup();}; the loop thread, after
 *     each {@code select()}, adds {@code pending.getAndSet(0)};
 * <li>{@code Flux.create(BUFFER).publishOn(single)}: {@code sink.next(1L)}; the subscriber
 *     adds one per value.
 * </ul>
 * The first two coalesce (triggers made while the loop is busy or asleep arrive as one event),
 * the third delivers every value. The score is therefore not a fixed cost per trigger: a trigger
 * that finds an event already pending costs the producer no wake-up, so how much coalesces, and
 * with it the score, follows from how the two threads happen to be scheduled, and it can differ
 * a lot between runs. Read it with the secondary result {@code loopEvents}, the times per second
 * the loop thread ran its consumer; triggers per loop event is printed at the end of each trial.
 * After every iteration the loop is drained (bounded wait) and the benchmark fails unless
 * consumed equals sent, so a mechanism that loses or invents triggers reports no number.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class UserEventThroughput {
    /** Triggers the producer may have made that the loop has not consumed yet. */
    static final int WINDOW = 1024;
    /** How long the producer or the drain waits on a loop that consumes nothing before failing. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * One loop, the triggers sent to it and consumed by it, and the events that carried them.
     * Scope.Thread because JMH reads auxiliary counters per thread; there is one producer.
     */
    abstract static class Handoff {
        private final String name;
        /** Written by the loop thread only. */
        final AtomicLong consumed = new AtomicLong();
        /** Times the loop thread ran its consumer; written by the loop thread only. */
        final AtomicLong events = new AtomicLong();
        private SignalLoop loop;
        private long sent;
        /** The producer's last read of {@link #consumed}: re-read only when the window looks full. */
        private long consumedSeen;
        private long eventsAtIterationStart;

        Handoff(String name) {
            this.name = name;
        }

        abstract SignalLoop open();

        /** Producer: one trigger. */
        void trigger(SignalLoop loop) {
            loop.signal();
        }

        /** Loop thread: one event carrying {@code triggers}. */
        final void consume(long triggers) {
            consumed.addAndGet(triggers);
            events.setRelease(events.getPlain() + 1);
        }

        final void send() {
            long next = sent + 1;
            if (next - consumedSeen > WINDOW) awaitWindow(next);
            sent = next;
            trigger(loop);
        }

        private void awaitWindow(long next) {
            long deadline = System.nanoTime() + STALL_NANOS;
            while (next - (consumedSeen = consumed.get()) > WINDOW) {
                Thread.onSpinWait();
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(name + ": window full for 10 s, " + report());
                }
            }
        }

        /** Times the loop thread ran its consumer since this iteration's set-up. */
        final long eventsThisIteration() {
            return events.get() - eventsAtIterationStart;
        }

        @Setup(Level.Trial)
        public void setUp() {
            loop = open();
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            eventsAtIterationStart = events.get();
        }

        @TearDown(Level.Iteration)
        public void drainAndVerify() throws InterruptedException {
            long deadline = System.nanoTime() + STALL_NANOS;
            while (consumed.get() < sent && System.nanoTime() - deadline < 0) Thread.sleep(1);
            if (consumed.get() != sent) {
                throw new IllegalStateException(name + ": consumed != sent after draining, " + report());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            try {
                drainAndVerify();
                System.out.printf("%n%s: %s, %.1f triggers per loop event%n",
                    name, report(), (double) consumed.get() / Math.max(1, events.get()));
            } finally {
                loop.close();
            }
        }

        private String report() {
            return "sent " + sent + ", consumed " + consumed.get() + " in " + events.get() + " loop events";
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Kq extends Handoff {
        public Kq() {
            super("kqUserEvent");
        }

        /** Auxiliary result, per second (JMH reads counters only where they are declared). */
        public long loopEvents() {
            return eventsThisIteration();
        }

        @Override
        SignalLoop open() {
            return new KqUserLoop(this::consume);
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Wakeup extends Handoff {
        /** Triggers made and not yet taken by the loop thread. */
        private final AtomicLong pending = new AtomicLong();

        public Wakeup() {
            super("selectorWakeup");
        }

        /** Auxiliary result, per second (JMH reads counters only where they are declared). */
        public long loopEvents() {
            return eventsThisIteration();
        }

        @Override
        SignalLoop open() {
            return new SelectorLoop(() -> consume(pending.getAndSet(0)));
        }

        @Override
        void trigger(SignalLoop loop) {
            pending.incrementAndGet();
            loop.signal();
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FluxCreate extends Handoff {
        public FluxCreate() {
            super("fluxCreateBuffer");
        }

        /** Auxiliary result, per second (JMH reads counters only where they are declared). */
        public long loopEvents() {
            return eventsThisIteration();
        }

        @Override
        SignalLoop open() {
            return new FluxCreateLoop(this::consume);
        }
    }

    @Benchmark
    public void kqUserEvent(Kq s) {
        s.send();
    }

    @Benchmark
    public void selectorWakeup(Wakeup s) {
        s.send();
    }

    @Benchmark
    public void fluxCreateBuffer(FluxCreate s) {
        s.send();
    }
}
