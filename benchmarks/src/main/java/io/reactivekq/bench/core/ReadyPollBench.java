package io.reactivekq.bench.core;

import io.reactivekq.bench.Channels;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import java.io.IOException;
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
 * The CPU cost of asking for readiness without waiting: one pipe holds a byte nobody reads,
 * so its read side stays ready, and each operation polls it once — kevent() with a zero
 * timeout on a level-triggered EVFILT_READ knote against {@link Selector#selectNow()}.
 *
 * <p>No thread wakes up here, so unlike the ping-pong this isolates the per-call work of
 * each path (for kevent: the epoll_wait, the FIONREAD re-check and the event), which is what
 * the native call layer's speed shows in.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.ADD_EXPORTS, JvmFlags.SUN_NIO_CH})
@State(Scope.Thread)
public class ReadyPollBench {
    private Pipe pipe;
    private KQueue kq;
    private Selector selector;
    private final KEvent[] events = new KEvent[1];

    @Setup(Level.Trial)
    public void open() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        kq = KQueue.open();
        kq.register(KEvent.of(Channels.fd(pipe.source()), EvFilt.READ, Ev.ADD));
        selector = Selector.open();
        pipe.source().register(selector, SelectionKey.OP_READ);
        if (kevent() != 1 || selectNow() != 1) throw new IllegalStateException("pipe not reported ready");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        kq.close();
        selector.close();
        pipe.sink().close();
        pipe.source().close();
    }

    @Benchmark
    public int kevent() {
        return kq.kevent(KQueue.NO_EVENTS, 0, events, 1, 0);
    }

    @Benchmark
    public int selectNow() throws IOException {
        int n = selector.selectNow();
        selector.selectedKeys().clear();
        return n;
    }
}
