package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import io.reactivekq.bench.Channels;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A one-byte echo through an event loop: the benchmark thread writes to pipe A and blocks
 * reading pipe B; the loop thread reads A when it is readable and writes what it read to B.
 * The loop is a reactive-kq READ flux ({@code read(fd)}, whose events count the bytes, or
 * {@code readable(fd)}, readiness only; the echo never needs a WRITE flux, since one byte never
 * fills B), a java.nio Selector loop, or the same Selector loop pushing its ready keys into
 * {@code Flux.create(BUFFER)} — the bridge a user would write by hand. Every loop reads until
 * EAGAIN.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PipeEcho {
    @Param({"kq", "kqReadable", "selector", "fluxCreate"})
    public String loop;

    private Pipe a;
    private Pipe b;
    private final ByteBuffer out = ByteBuffer.allocateDirect(1);
    private final ByteBuffer back = ByteBuffer.allocateDirect(1);
    private final ByteBuffer echo = ByteBuffer.allocateDirect(64);

    private KqPoller poller;
    private Disposable subscription;
    private Selector selector;
    private Thread selectorLoop;
    private volatile boolean running;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        a = Pipe.open();
        b = Pipe.open();
        a.source().configureBlocking(false);
        b.sink().configureBlocking(false);
        switch (loop) {
            case "kq" -> {
                poller = KqPoller.create("kq-bench-echo");
                subscription = poller.read(Channels.fd(a.source())).subscribe(ev -> echoOnce());
            }
            case "kqReadable" -> {
                poller = KqPoller.create("kq-bench-echo");
                subscription = poller.readable(Channels.fd(a.source())).subscribe(ev -> echoOnce());
            }
            case "selector" -> startSelector(null);
            case "fluxCreate" -> {
                @SuppressWarnings("unchecked")
                FluxSink<SelectionKey>[] sink = new FluxSink[1];
                subscription = Flux.<SelectionKey>create(s -> sink[0] = s, FluxSink.OverflowStrategy.BUFFER)
                    .subscribe(key -> echoOnce());
                startSelector(sink[0]);
            }
            default -> throw new IllegalArgumentException(loop);
        }
    }

    private void startSelector(FluxSink<SelectionKey> sink) throws IOException {
        selector = Selector.open();
        SelectionKey key = a.source().register(selector, SelectionKey.OP_READ);
        running = true;
        selectorLoop = new Thread(() -> {
            try {
                while (running) {
                    if (selector.select() == 0) continue;
                    selector.selectedKeys().clear();
                    if (sink == null) echoOnce(); else sink.next(key);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "selector-echo");
        selectorLoop.setDaemon(true);
        selectorLoop.start();
    }

    /** On the loop thread: move what A holds to B. */
    private void echoOnce() {
        try {
            int n;
            while ((n = a.source().read(echo.clear())) > 0) {
                echo.flip();
                while (echo.hasRemaining()) b.sink().write(echo);
            }
            if (n < 0) throw new IllegalStateException("pipe A closed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (subscription != null) subscription.dispose();
        if (poller != null) poller.close();
        if (selector != null) {
            running = false;
            selector.wakeup();
            selectorLoop.join(5000);
            selector.close();
        }
        a.sink().close();
        a.source().close();
        b.sink().close();
        b.source().close();
    }

    @Benchmark
    public int echo() throws IOException {
        a.sink().write(out.clear().put((byte) 1).flip());
        back.clear();
        while (back.position() == 0) b.source().read(back);
        return back.get(0);
    }
}
