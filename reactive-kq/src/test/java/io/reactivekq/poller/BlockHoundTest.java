package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound with the poller's integration: runs in its own surefire execution (BlockHound
 * instruments the JVM for good; JDK 13+ needs -XX:+AllowRedefinitionToAddDeleteMethods).
 */
class BlockHoundTest {
    private static Poller poller;

    @BeforeAll
    static void install() {
        BlockHound.install();
        poller = Poller.start("kq-blockhound-test", KQueue.open(), 64);
    }

    @AfterAll
    static void close() {
        poller.close();
    }

    private static Flux<KEvent> timer(long millis) {
        return Flux.from(s -> poller.subscribe(Interest.of(EvFilt.TIMER, poller.nextIdent(), 0, Note.MSECONDS, millis, 0),
            Operators.toCoreSubscriber(s)));
    }

    @Test
    void theIntegrationIsFoundThroughTheServiceLoader() {
        assertTrue(ServiceLoader.load(BlockHoundIntegration.class).stream()
            .anyMatch(p -> p.type() == PollerBlockHoundIntegration.class));
    }

    @Test
    void everyMethodTheIntegrationAllowsExistsInThePoller() {
        for (String name : java.util.List.of(PollerBlockHoundIntegration.WAIT_METHOD, PollerBlockHoundIntegration.SPIN_METHOD,
                PollerBlockHoundIntegration.WAKE_METHOD, PollerBlockHoundIntegration.SHUTDOWN_METHOD)) {
            assertTrue(java.util.Arrays.stream(Poller.class.getDeclaredMethods()).anyMatch(m -> m.getName().equals(name)),
                "Poller." + name + " (renamed? the integration would stop allowing it)");
        }
    }

    @Test
    void aHandlerThatBlocksOnThePollerThreadIsReported() {
        StepVerifier.create(timer(1).doOnNext(ev -> {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }))
            .expectError(BlockingOperationError.class)
            .verify(Duration.ofSeconds(20));
    }

    /**
     * The loop's wait may block in Java too, not only in epoll_wait (which BlockHound cannot
     * see): parked on the kqueue's lock while another thread's change holds it. A kqueue that
     * sleeps briefly in every call of the loop stands in for that.
     */
    @Test
    void blockingInsideThePollersWaitIsAllowed() {
        KQueue real = KQueue.open();
        KQueue sleepy = new KQueue() {
            @Override
            public int kevent(KEvent[] changes, int nchanges, KEvent[] events, int nevents, long timeoutNanos) {
                if (Thread.currentThread() instanceof Poller.LoopThread) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return real.kevent(changes, nchanges, events, nevents, timeoutNanos);
            }

            @Override
            public String backend() {
                return real.backend();
            }

            @Override
            public void close() {
                real.close();
            }
        };
        Poller p = Poller.start("kq-blockhound-sleepy", sleepy, 64);
        try {
            StepVerifier.create(Flux.<KEvent>from(s -> p.subscribe(
                    Interest.of(EvFilt.TIMER, p.nextIdent(), 0, Note.MSECONDS, 2, 0), Operators.toCoreSubscriber(s))).take(3))
                .expectNextCount(3)
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        } finally {
            p.close();
        }
    }

    @Test
    void thePollersOwnWaitAndWakeupsFromNonBlockingThreadsAreAllowed() {
        // Subscribing and requesting from a parallel (non-blocking) thread wakes the loop.
        StepVerifier.create(timer(2).take(5).subscribeOn(Schedulers.parallel()))
            .expectNextCount(5)
            .expectComplete()
            .verify(Duration.ofSeconds(20));
    }
}
