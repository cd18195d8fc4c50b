package io.reactivekq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.KEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A stream of identical events (readiness edges of a busy fd) is delivered without allocating:
 * the kqueue and the subscriber's slot each hand out their last event again. Measured on the
 * poller thread itself, which runs the subscriber: it counts every byte that thread allocates.
 * How much of that is the JDK's own (see {@link #MAX_BYTES_PER_EVENT}) depends on how far the
 * JIT got, 2–40 B per event in practice; a KEvent per event adds 64 B whatever the JIT did.
 */
class DeliveryAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /**
     * Below the 64 B of one KEvent per event, which is what this test guards against. Not 0:
     * until the JIT has compiled it, the FFM downcall of epoll_wait allocates a 40 B segment
     * per call (a slice of the errno buffer; compiled code allocates nothing), and how much of
     * the measurement runs before that depends on the machine.
     */
    private static final double MAX_BYTES_PER_EVENT = 56;

    private final KqPoller poller = KqPoller.create("kq-alloc-test");

    @AfterEach
    void close() {
        poller.close();
    }

    /**
     * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes, through reflection: the
     * library's module (which these tests are patched into) does not read java.management, and
     * reflection needs no read edge. Its boxing happens after the counter is read.
     */
    private static final Object THREADS;
    private static final Method ALLOCATED;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedByThisThread() {
        try {
            return (Long) ALLOCATED.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readinessEdgesOfABusyPipeAllocateNothingPerEvent() throws Exception {
        try (TestPipe p = new TestPipe()) {
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            ByteBuffer out = ByteBuffer.allocateDirect(1);
            CompletableFuture<Double> bytesPerEvent = new CompletableFuture<>();
            AtomicReference<KEvent> first = new AtomicReference<>();
            AtomicReference<KEvent> last = new AtomicReference<>();
            long[] state = new long[3]; // events seen, allocation at the end of the warm-up, other instances seen
            // Each event drains the pipe and writes the next byte from the poller thread: a
            // self-feeding stream of edges, with no other thread in the measurement.
            Disposable sub = poller.readable(p.readFd).subscribe(ev -> {
                try {
                    while (p.pipe.source().read(in.clear()) > 0) { }
                    long seen = ++state[0];
                    if (seen == 1) first.set(ev);
                    if (ev != first.get()) state[2]++;
                    if (seen == WARM_UP) state[1] = allocatedByThisThread();
                    if (seen == WARM_UP + MEASURED) {
                        last.set(ev);
                        bytesPerEvent.complete((allocatedByThisThread() - state[1]) / (double) MEASURED);
                        return;
                    }
                    p.pipe.sink().write(out.clear().put((byte) 1).flip());
                } catch (IOException e) {
                    bytesPerEvent.completeExceptionally(new UncheckedIOException(e));
                }
            }, bytesPerEvent::completeExceptionally);
            p.write(1);
            double perEvent = bytesPerEvent.get(60, TimeUnit.SECONDS);
            sub.dispose();
            assertEquals(first.get(), last.get());
            assertEquals(0, state[2], "events that were not the first one's instance");
            assertTrue(perEvent < MAX_BYTES_PER_EVENT,
                "the poller thread allocated " + perEvent + " B per readiness event");
        }
    }
}
