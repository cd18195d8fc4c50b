package io.reactivekq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import io.reactivekq.poller.CountingKQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** {@code readable(fd)} and {@code writable(fd)}: edge-triggered readiness, data 1, no count. */
class ReadinessFluxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long "nothing more arrives" is watched for; only a failure shortens the test. */
    private static final Duration QUIET = Duration.ofMillis(150);

    private final KqPoller poller = new KqPoller("kq-readiness-test", CountingKQueue.open());

    @AfterEach
    void close() {
        poller.close();
    }

    private void flush() {
        poller.loop().afterFlush(() -> null).orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static void readOne(TestPipe p) {
        try {
            assertEquals(1, p.pipe.source().read(ByteBuffer.allocate(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void eachArrivalIsOneReadyEventAndUnreadBytesBringNoMore() throws Exception {
        try (TestPipe p = new TestPipe()) {
            StepVerifier.create(poller.readable(p.readFd))
                .then(() -> {
                    flush();
                    p.write(3);
                })
                .assertNext(ev -> {
                    assertEquals(EvFilt.READ, ev.filter());
                    assertEquals(1, ev.data(), "ready, not the 3 bytes: " + ev);
                })
                .expectNoEvent(QUIET) // unbounded demand, EV_CLEAR: the 3 unread bytes are no new edge
                .then(() -> p.write(1))
                .assertNext(ev -> assertEquals(1, ev.data()))
                .thenCancel()
                .verify(WAIT);
        }
    }

    @Test
    void aRequestAfterDemandRanOutReportsWhatIsLeft() throws Exception {
        try (TestPipe p = new TestPipe()) {
            StepVerifier.create(poller.readable(p.readFd), 1)
                .then(() -> {
                    flush();
                    p.write(3);
                })
                .assertNext(ev -> assertEquals(1, ev.data()))
                .then(() -> readOne(p))
                .expectNoEvent(QUIET)
                .thenRequest(1)
                .assertNext(ev -> assertEquals(1, ev.data(), "re-armed, the knote re-checks: 2 bytes left"))
                .then(() -> assertEquals(2, p.drain()))
                .thenRequest(1)
                .expectNoEvent(QUIET)
                .thenCancel()
                .verify(WAIT);
        }
    }

    @Test
    void eofCompletesWhateverIsLeftToRead() throws Exception {
        try (TestPipe p = new TestPipe()) {
            p.write(2);
            p.closeSink();
            StepVerifier.create(poller.readable(p.readFd))
                .assertNext(ev -> {
                    assertTrue(ev.has(Ev.EOF), ev.toString());
                    assertEquals(2, ev.data(), "at EOF data is what is left to read");
                })
                .expectComplete()
                .verify(WAIT);
        }
    }

    @Test
    void writableIsReadyAtSubscribeAndAgainOnceAFullPipeDrains() throws Exception {
        try (TestPipe p = new TestPipe()) {
            StepVerifier.create(poller.writable(p.writeFd))
                .assertNext(ev -> {
                    assertEquals(EvFilt.WRITE, ev.filter());
                    assertEquals(1, ev.data(), "ready, not the free space: " + ev);
                })
                .expectNoEvent(QUIET)
                .then(() -> {
                    p.fill();
                    p.drain();
                })
                .assertNext(ev -> assertEquals(1, ev.data()))
                .then(p::closeSource)
                // The drain's reads may each have freed space: one edge or a few, then the EOF.
                .thenConsumeWhile(ev -> !ev.has(Ev.EOF), ev -> assertEquals(1, ev.data()))
                .assertNext(ev -> assertTrue(ev.has(Ev.EOF), ev.toString()))
                .expectComplete()
                .verify(WAIT);
        }
    }

    @Test
    void aReadinessSubscriberJoiningACountedKnoteLeavesItCounted() throws Exception {
        try (TestPipe p = new TestPipe()) {
            List<KEvent> counted = new CopyOnWriteArrayList<>();
            CountDownLatch countedOne = new CountDownLatch(1);
            Disposable reader = poller.read(p.readFd).subscribe(ev -> {
                counted.add(ev);
                countedOne.countDown();
            });
            flush();
            StepVerifier.create(poller.readable(p.readFd))
                .then(() -> {
                    flush();
                    p.write(3);
                })
                // The first subscriber's choice stands for the shared knote, as EV_CLEAR's does.
                .assertNext(ev -> assertEquals(3, ev.data(), "the knote counts: " + ev))
                .thenCancel()
                .verify(WAIT);
            assertTrue(countedOne.await(20, TimeUnit.SECONDS), "the counting subscriber got nothing");
            reader.dispose();
            assertEquals(3, counted.getFirst().data(), "the counting subscriber still gets the count");
        }
    }

    @Test
    void aCountingSubscriberJoiningAReadinessKnoteGetsReadinessEvenAfterTheFirstLeaves() throws Exception {
        try (TestPipe p = new TestPipe()) {
            Disposable first = poller.readable(p.readFd).subscribe();
            flush();
            StepVerifier.create(poller.read(p.readFd))
                .then(() -> {
                    flush();
                    p.write(3);
                })
                .assertNext(ev -> {
                    assertEquals(1, ev.data(), "the first subscriber's choice, readiness: " + ev);
                    assertEquals(3, p.drain());
                })
                .then(() -> {
                    first.dispose();
                    flush();
                    p.write(2);
                })
                .assertNext(ev -> {
                    assertEquals(1, ev.data(), "the knote stays as its first subscriber made it: " + ev);
                    assertEquals(2, p.drain());
                })
                .then(p::closeSink)
                .assertNext(ev -> assertTrue(ev.has(Ev.EOF), ev.toString()))
                .expectComplete()
                .verify(WAIT);
        }
    }

    @Test
    void aLowWaterMarkJoiningAReadinessKnoteLeavesItReadinessOnly() throws Exception {
        try (TestPipe p = new TestPipe()) {
            StepVerifier.create(poller.readable(p.readFd))
                .then(() -> {
                    flush();
                    poller.events(EventSpec.of(EvFilt.READ, p.readFd).withFflags(Note.LOWAT).withData(1)).subscribe();
                    flush();
                    p.write(3);
                })
                .assertNext(ev -> assertEquals(1, ev.data(), "NOTE_LOWAT is the first subscriber's choice too: " + ev))
                .thenCancel()
                .verify(WAIT);
        }
    }

    @Test
    void aSocketsLastBytesAndItsEndCompleteTheFlux() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                accepted.configureBlocking(false);
                StepVerifier.create(poller.readable(TestPipe.fdOf(accepted)))
                    .then(() -> {
                        try {
                            client.write(ByteBuffer.allocate(5));
                            client.close();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    // Nothing is read: the data's edge and the end may come as one event or
                    // two, and the EV_EOF one ends the flux with the 5 bytes still there.
                    .thenConsumeWhile(ev -> !ev.has(Ev.EOF), ev -> assertEquals(1, ev.data()))
                    .assertNext(ev -> assertEquals(5, ev.data(), "at EOF the bytes left: " + ev))
                    .expectComplete()
                    .verify(WAIT);
            }
        }
    }
}
