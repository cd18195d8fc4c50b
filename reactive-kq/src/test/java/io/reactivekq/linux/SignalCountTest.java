package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** EVFILT_SIGNAL in-process: counting, chaining to the handler in place, waking kevent, refusals. */
class SignalCountTest {
    private static final int SIGUSR1 = 10;
    private static final int SIGWINCH = 28;
    private static final Signal USR1 = new Signal("USR1");
    private static final Signal WINCH = new Signal("WINCH");

    /** Sums data over SIGNAL events until it reaches {@code expected}; 30 s bound. */
    static long drain(KQueue kq, long ident, long expected) {
        long total = 0;
        KEvent[] out = new KEvent[4];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (total < expected) {
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "saw " + total + " of " + expected + " deliveries");
            int n = kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, left);
            for (int i = 0; i < n; i++) {
                assertEquals(ident, out[i].ident());
                assertEquals(EvFilt.SIGNAL, out[i].filter());
                assertTrue(out[i].has(Ev.CLEAR), "EV_CLEAR is implied: " + out[i]);
                assertTrue(out[i].data() >= 1, out[i].toString());
                total += out[i].data();
            }
        }
        assertEquals(expected, total);
        return total;
    }

    @Test
    void countsDeliveriesAndTheApplicationsHandlerKeepsRunning() throws Exception {
        int baseline = ProcFs.kernelObjectFds();
        Semaphore appRuns = new Semaphore(0);
        SignalHandler original = Signal.handle(USR1, sig -> appRuns.release());
        try {
            try (KQueue kq = KQueue.open()) {
                kq.register(KEvent.of(SIGUSR1, EvFilt.SIGNAL, Ev.ADD));
                for (int i = 0; i < 3; i++) Signal.raise(USR1);
                assertTrue(appRuns.tryAcquire(3, 30, TimeUnit.SECONDS), "the application's handler ran for each");
                drain(kq, SIGUSR1, 3);
                assertEquals(0, kq.kevent(null, new KEvent[1], Duration.ZERO), "reported deliveries are cleared");
                Signal.raise(USR1);
                Signal.raise(USR1);
                assertTrue(appRuns.tryAcquire(2, 30, TimeUnit.SECONDS));
                drain(kq, SIGUSR1, 2);
                kq.register(KEvent.of(SIGUSR1, EvFilt.SIGNAL, Ev.DELETE));
                Signal.raise(USR1);
                assertTrue(appRuns.tryAcquire(1, 30, TimeUnit.SECONDS), "the application's handler is back alone");
                assertEquals(0, kq.kevent(null, new KEvent[1], Duration.ZERO));
            }
        } finally {
            Signal.handle(USR1, original);
        }
        assertEquals(baseline, ProcFs.kernelObjectFds());
    }

    @Test
    void aDeliveryWakesABlockedKevent() throws Exception {
        try (KQueue kq = KQueue.open()) {
            kq.register(KEvent.of(SIGWINCH, EvFilt.SIGNAL, Ev.ADD));
            CountDownLatch entering = new CountDownLatch(1);
            CompletableFuture<KEvent> got = CompletableFuture.supplyAsync(() -> {
                KEvent[] out = new KEvent[1];
                entering.countDown();
                int n = kq.kevent(null, out, Duration.ofSeconds(30));
                return n == 1 ? out[0] : null;
            });
            assertTrue(entering.await(30, TimeUnit.SECONDS));
            Signal.raise(WINCH); // default action of SIGWINCH is to ignore: safe to raise here
            KEvent ev = got.get(30, TimeUnit.SECONDS);
            assertTrue(ev != null && ev.ident() == SIGWINCH && ev.data() >= 1, String.valueOf(ev));
        }
    }

    @Test
    void everyKqueueWatchingASignalCountsIt() {
        Semaphore appRuns = new Semaphore(0);
        SignalHandler original = Signal.handle(USR1, sig -> appRuns.release());
        try (KQueue a = KQueue.open(); KQueue b = KQueue.open()) {
            a.register(KEvent.of(SIGUSR1, EvFilt.SIGNAL, Ev.ADD));
            b.register(KEvent.of(SIGUSR1, EvFilt.SIGNAL, Ev.ADD));
            Signal.raise(USR1);
            drain(a, SIGUSR1, 1);
            drain(b, SIGUSR1, 1);
        } finally {
            Signal.handle(USR1, original);
        }
    }

    @Test
    void signalsTheJvmKeepsFailWithEinvalSayingWhy() {
        try (KQueue kq = KQueue.open()) {
            Map<Integer, String> cases = Map.of(11, "SIGSEGV is reserved", 3, "SIGQUIT is reserved",
                9, "SIGKILL is reserved", 7, "SIGBUS is reserved", 12, "SIGUSR2 is reserved",
                40, "real-time signals", 0, "not a signal number", 65, "not a signal number");
            cases.forEach((signo, why) -> {
                KqException e = assertThrows(KqException.class,
                    () -> kq.register(KEvent.of(signo, EvFilt.SIGNAL, Ev.ADD)), "signal " + signo);
                assertEquals(Errno.EINVAL.number(), e.errno());
                assertTrue(e.getMessage().contains(why), e.getMessage());
            });
            assertEquals(Map.of(), ((LinuxKQueue) kq).knoteCounts());
        }
    }
}
