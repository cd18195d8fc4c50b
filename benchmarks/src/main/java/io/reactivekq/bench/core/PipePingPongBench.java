package io.reactivekq.bench.core;

import io.reactivekq.bench.Channels;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
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
 * Round trip of one byte over two pipes: the benchmark thread writes a byte to the request
 * pipe, an echo thread (blocking read, write back) returns it on the reply pipe, and the
 * benchmark thread waits for the reply pipe to become readable, then reads the byte.
 *
 * <p>The three variants differ only in how they wait: {@code selector} in
 * {@link Selector#select()}, {@code keventLevel} in kevent() on a plain EV_ADD EVFILT_READ
 * knote (level-triggered), {@code keventClear} on an EV_ADD|EV_CLEAR knote (edge-triggered).
 * The pipes, the echo thread and the reads and writes (non-blocking java.nio channels, direct
 * buffers) are the same code in all three.
 *
 * <p>Sample mode: besides the mean, JMH reports the median and tail of the round trips, and
 * the median is what the comparison uses, since on a shared machine a few round trips that
 * wait for a CPU dominate the mean.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 3, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.ADD_EXPORTS, JvmFlags.SUN_NIO_CH})
public class PipePingPongBench {

    /** Two pipes and the echo thread between them. */
    @State(Scope.Thread)
    public abstract static class Pipes {
        Pipe request;
        Pipe reply;
        private Thread echo;
        private final ByteBuffer out = ByteBuffer.allocateDirect(1);
        private final ByteBuffer in = ByteBuffer.allocateDirect(1);

        @Setup(Level.Trial)
        public void start() throws IOException {
            request = Pipe.open();
            reply = Pipe.open();
            reply.source().configureBlocking(false);
            echo = Thread.ofPlatform().name("echo").daemon().start(this::echo);
            openWaiter();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            request.sink().close(); // the echo thread reads EOF and ends
            echo.join(10_000);
            closeWaiter();
            request.source().close();
            reply.sink().close();
            reply.source().close();
        }

        private void echo() {
            ByteBuffer b = ByteBuffer.allocateDirect(1);
            try {
                while (true) {
                    b.clear();
                    if (request.source().read(b) < 0) return;
                    b.flip();
                    reply.sink().write(b);
                }
            } catch (IOException e) {
                // closed at tear-down
            }
        }

        abstract void openWaiter() throws IOException;

        abstract void closeWaiter() throws IOException;

        /** Blocks until the reply pipe is readable. */
        abstract void awaitReply() throws IOException;

        /** One round trip; returns the byte that came back. */
        final int roundTrip() {
            try {
                out.clear();
                out.put(0, (byte) 42);
                request.sink().write(out);
                awaitReply();
                in.clear();
                if (reply.source().read(in) != 1) throw new IllegalStateException("no reply byte after readiness");
                return in.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static class WithSelector extends Pipes {
        private Selector selector;

        @Override
        void openWaiter() throws IOException {
            selector = Selector.open();
            reply.source().register(selector, SelectionKey.OP_READ);
        }

        @Override
        void closeWaiter() throws IOException {
            selector.close();
        }

        @Override
        void awaitReply() throws IOException {
            while (selector.select() == 0) {
                // spurious wake-up: wait again
            }
            selector.selectedKeys().clear();
        }
    }

    /** Waits in kevent() on an EVFILT_READ knote with the given extra flags. */
    abstract static class WithKevent extends Pipes {
        private KQueue kq;
        private final KEvent[] events = new KEvent[1];

        abstract int flags();

        @Override
        void openWaiter() {
            kq = KQueue.open();
            kq.register(KEvent.of(Channels.fd(reply.source()), EvFilt.READ, Ev.ADD | flags()));
        }

        @Override
        void closeWaiter() {
            kq.close();
        }

        @Override
        void awaitReply() {
            while (kq.kevent(KQueue.NO_EVENTS, 0, events, 1, KQueue.FOREVER) == 0) {
                // spurious wake-up: wait again
            }
        }
    }

    public static class WithKeventLevel extends WithKevent {
        @Override
        int flags() {
            return 0;
        }
    }

    public static class WithKeventClear extends WithKevent {
        @Override
        int flags() {
            return Ev.CLEAR;
        }
    }

    @Benchmark
    public int selector(WithSelector s) {
        return s.roundTrip();
    }

    @Benchmark
    public int keventLevel(WithKeventLevel s) {
        return s.roundTrip();
    }

    @Benchmark
    public int keventClear(WithKeventClear s) {
        return s.roundTrip();
    }
}
