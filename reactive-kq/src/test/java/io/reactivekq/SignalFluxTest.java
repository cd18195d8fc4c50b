package io.reactivekq;

import static io.reactivekq.RealPoller.WAIT;
import static io.reactivekq.RealPoller.kqError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * EVFILT_SIGNAL through the flux on the Linux backend. SIGURG and SIGWINCH are ignored by
 * default, so raising them at our own pid is harmless; SIGUSR2 is the JVM's.
 */
class SignalFluxTest {
    private static final int SIGURG = 23;
    private static final int SIGWINCH = 28;
    private static final int SIGUSR2 = 12;

    private final RealPoller real = new RealPoller();
    private final KqPoller poller = real.poller;

    @AfterEach
    void close() {
        real.close();
    }

    private static void assertSignal(KEvent ev, int signo, long count) {
        assertEquals(signo, ev.ident());
        assertEquals(EvFilt.SIGNAL, ev.filter());
        assertEquals(count, ev.data(), "deliveries: " + ev);
    }

    @Test
    void eachDeliveryIsCountedByName() {
        Signal urg = new Signal("URG");
        RealPoller.Registered r = real.registered(poller.signal("SIGURG"));
        StepVerifier.create(r.flux(), 1)
            .expectSubscription()
            .then(() -> {
                r.await();
                Signal.raise(urg);
            })
            .assertNext(ev -> assertSignal(ev, SIGURG, 1))
            .then(() -> Signal.raise(urg)) // on the poller thread, without demand: it waits in the knote
            .thenRequest(1)
            .assertNext(ev -> assertSignal(ev, SIGURG, 1))
            .thenRequest(1)
            .then(() -> Signal.raise(urg))
            .assertNext(ev -> assertSignal(ev, SIGURG, 1))
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void deliveriesWithoutDemandBecomeOneEventCarryingTheTotal() throws Exception {
        Signal winch = new Signal("WINCH");
        // An application handler, chained behind the knote's: once it ran N times the knote counted N.
        Semaphore appRuns = new Semaphore(0);
        SignalHandler original = Signal.handle(winch, sig -> appRuns.release());
        try {
            RealPoller.Registered r = real.registered(poller.signal(SIGWINCH));
            StepVerifier.create(r.flux(), 0)
                .expectSubscription()
                .then(() -> {
                    r.await();
                    for (int i = 0; i < 5; i++) {
                        Signal.raise(winch);
                        acquire(appRuns); // one at a time: the kernel merges a signal still pending
                    }
                    real.flush();
                })
                .thenRequest(1)
                .assertNext(ev -> assertSignal(ev, SIGWINCH, 5))
                .thenCancel()
                .verify(WAIT);
            real.flush();
            Signal.raise(winch);
            acquire(appRuns);
            assertEquals(0, real.knotes(), "the knote is gone and the application's handler runs alone");
        } finally {
            Signal.handle(winch, original);
        }
    }

    private static void acquire(Semaphore s) {
        try {
            assertTrue(s.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "the signal was not dispatched");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSignalSentByAnotherProcessIsCounted() throws Exception {
        RealPoller.Registered r = real.registered(poller.signal("urg"));
        StepVerifier.create(r.flux(), 1)
            .expectSubscription()
            .then(() -> {
                r.await();
                kill("URG", ProcessHandle.current().pid());
            })
            .assertNext(ev -> assertSignal(ev, SIGURG, 1))
            .thenCancel()
            .verify(WAIT);
    }

    private static void kill(String name, long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).start();
            assertTrue(k.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, k.exitValue());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSignalTheJvmKeepsIsEinvalByNameAndByNumberAndLeavesOthersAlone() {
        RealPoller.Registered r = real.registered(poller.signal(SIGURG));
        StepVerifier bystander = StepVerifier.create(r.flux(), 1)
            .expectSubscription()
            .then(r::await)
            .assertNext(ev -> assertSignal(ev, SIGURG, 1))
            .thenCancel()
            .verifyLater();
        r.await();
        // The core's reason travels from the EV_ERROR receipt into onError.
        StepVerifier.create(poller.signal(SIGUSR2))
            .expectErrorMatches(kqError("EINVAL", SIGUSR2).and(t -> t.getMessage().contains("SIGUSR2 is reserved")))
            .verify(WAIT);
        StepVerifier.create(poller.signal("USR2"))
            .expectErrorMatches(kqError("EINVAL", SIGUSR2).and(t -> t.getMessage().contains("SIGUSR2 is reserved")))
            .verify(WAIT);
        StepVerifier.create(poller.signal(40))
            .expectErrorMatches(kqError("EINVAL", 40).and(t -> t.getMessage().contains("real-time signals")))
            .verify(WAIT);
        Signal.raise(new Signal("URG"));
        bystander.verify(WAIT);
    }
}
