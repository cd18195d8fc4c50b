package io.reactivekq.bench.core;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per knote of the kevent core at 100, 1,000 and 10,000 EVFILT_USER knotes: adding
 * them to an empty kqueue, collecting them all once (scan) and deleting them all, in kevent
 * calls of {@value #BATCH} changes or events. One invocation handles all the knotes; the
 * {@code perKnote} counter makes JMH report the time per knote as well, which must stay flat
 * as the count grows. What the invocation does not measure (deleting what add added, adding
 * what delete deletes) happens in invocation fixtures outside the timing.
 *
 * <p>USER knotes keep the filter's own work trivial, so what is measured is the core: change
 * validation, the knote table, the pending queue and event delivery.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.ADD_EXPORTS, JvmFlags.SUN_NIO_CH})
public class KnoteCostBench {
    /** Changes or events per kevent call. */
    static final int BATCH = 100;

    /** Counts knotes, so that JMH reports the time per knote next to the time per invocation. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counter {
        public long perKnote;
    }

    /** A kqueue and the change batches for idents {@code 0..knotes-1}. */
    @State(Scope.Thread)
    public abstract static class Knotes {
        @Param({"100", "1000", "10000"})
        public int knotes;

        KQueue kq;
        KEvent[][] adds;
        KEvent[][] deletes;
        final KEvent[] events = new KEvent[BATCH];

        /** The change that adds knote {@code id}. */
        abstract KEvent add(long id);

        @Setup(Level.Trial)
        public void open() {
            kq = KQueue.open();
            int batches = knotes / BATCH;
            adds = new KEvent[batches][BATCH];
            deletes = new KEvent[batches][BATCH];
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < BATCH; i++) {
                    long id = (long) b * BATCH + i;
                    adds[b][i] = add(id);
                    deletes[b][i] = KEvent.of(id, EvFilt.USER, Ev.DELETE);
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            kq.close();
        }

        void apply(KEvent[][] changes) {
            for (KEvent[] batch : changes) kq.kevent(batch, BATCH, KQueue.NO_EVENTS, 0, 0);
        }
    }

    /** Starts each invocation empty: removes what {@link #add} added. */
    public static class Empty extends Knotes {
        @Override
        KEvent add(long id) {
            return KEvent.of(id, EvFilt.USER, Ev.ADD);
        }

        @TearDown(Level.Invocation)
        public void deleteAll() {
            apply(deletes);
        }
    }

    /** Starts each invocation full: adds what {@link #delete} deletes. */
    public static class Full extends Knotes {
        @Override
        KEvent add(long id) {
            return KEvent.of(id, EvFilt.USER, Ev.ADD);
        }

        @Setup(Level.Invocation)
        public void addAll() {
            apply(adds);
        }
    }

    /** Triggered level-triggered knotes: each scan returns them and they stay active. */
    public static class Triggered extends Knotes {
        @Override
        KEvent add(long id) {
            return KEvent.of(id, EvFilt.USER, Ev.ADD, Note.TRIGGER, 0, id);
        }

        @Setup(Level.Trial)
        public void addAll() {
            apply(adds);
            // Checked once: a full rotation returns every knote, BATCH per call.
            for (int b = 0; b < knotes / BATCH; b++) {
                int n = kq.kevent(KQueue.NO_EVENTS, 0, events, BATCH, 0);
                if (n != BATCH) throw new IllegalStateException("scan returned " + n + " of " + BATCH);
            }
        }
    }

    @Benchmark
    public void add(Empty s, Counter c) {
        s.apply(s.adds);
        c.perKnote += s.knotes;
    }

    @Benchmark
    public KEvent scan(Triggered s, Counter c) {
        KEvent last = null;
        for (int b = s.knotes / BATCH; b > 0; b--) {
            s.kq.kevent(KQueue.NO_EVENTS, 0, s.events, BATCH, 0);
            last = s.events[BATCH - 1];
        }
        c.perKnote += s.knotes;
        return last;
    }

    @Benchmark
    public void delete(Full s, Counter c) {
        s.apply(s.deletes);
        c.perKnote += s.knotes;
    }
}
