package io.reactivekq;

import static io.reactivekq.RealPoller.WAIT;
import static io.reactivekq.RealPoller.kqError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** EVFILT_PROC through the flux on the Linux backend: exit status, ESRCH, fork notes, zombies. */
class ProcessFluxTest {
    private final RealPoller real = new RealPoller();
    private final KqPoller poller = real.poller;

    @AfterEach
    void close() {
        real.close();
    }

    private static void exitEvent(KEvent ev, long pid) {
        assertEquals(pid, ev.ident());
        assertEquals(EvFilt.PROC, ev.filter());
        assertTrue(ev.hasNote(Note.EXIT), ev.toString());
        assertTrue(ev.has(Ev.EOF), "a gone process is EV_EOF: " + ev);
    }

    private static void line(Process p) {
        try {
            OutputStream in = p.getOutputStream();
            in.write('\n');
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void childExitIsOneOnNextWithItsStatusThenCompleteAndTheJdkStillReapsIt() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read x; exit 7").start();
        try {
            RealPoller.Registered r = real.registered(poller.process(p));
            StepVerifier.create(r.flux())
                .expectSubscription()
                .then(() -> {
                    r.await(); // watched before it can exit: a reaped child would be ESRCH
                    line(p);
                })
                .assertNext(ev -> {
                    exitEvent(ev, p.pid());
                    WaitStatus st = WaitStatus.of(ev);
                    assertTrue(st.exited(), st.toString());
                    assertEquals(7, st.exitCode());
                })
                .expectComplete()
                .verify(WAIT);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(7, p.exitValue(), "the wait status was read without reaping");
            real.flush();
            assertEquals(0, real.knotes());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void processHandleOfAKilledChildReportsTheSignal() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            RealPoller.Registered r = real.registered(poller.process(p.toHandle()));
            StepVerifier.create(r.flux())
                .expectSubscription()
                .then(() -> {
                    r.await();
                    p.destroyForcibly();
                })
                .assertNext(ev -> {
                    exitEvent(ev, p.pid());
                    WaitStatus st = WaitStatus.of(ev);
                    assertTrue(st.signaled(), st.toString());
                    assertEquals(9, st.termSignal());
                })
                .expectComplete()
                .verify(WAIT);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(128 + 9, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void pidOfATerminatedChildReportsSigterm() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            RealPoller.Registered r = real.registered(poller.process(p.pid()));
            StepVerifier.create(r.flux())
                .expectSubscription()
                .then(() -> {
                    r.await();
                    p.destroy();
                })
                .assertNext(ev -> {
                    exitEvent(ev, p.pid());
                    assertEquals(15, WaitStatus.of(ev).termSignal(), WaitStatus.of(ev).toString());
                })
                .expectComplete()
                .verify(WAIT);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(128 + 15, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void deadPidIsEsrchNamingItAndALiveSubscriptionCarriesOn() throws Exception {
        Process live = new ProcessBuilder("sleep", "60").start();
        try {
            RealPoller.Registered r = real.registered(poller.process(live));
            StepVerifier liveVerifier = StepVerifier.create(r.flux())
                .expectSubscription()
                .then(r::await)
                .assertNext(ev -> {
                    exitEvent(ev, live.pid());
                    assertEquals(9, WaitStatus.of(ev).termSignal());
                })
                .expectComplete()
                .verifyLater();
            r.await();
            long dead = deadPid();
            StepVerifier.create(poller.process(dead)).expectErrorMatches(kqError("ESRCH", dead)).verify(WAIT);
            StepVerifier.create(poller.process(dead, Note.EXIT | Note.FORK))
                .expectErrorMatches(kqError("ESRCH", dead)).verify(WAIT);
            real.flush();
            assertEquals(1, real.knotes(), "only the live subscription's knote is left");
            live.destroyForcibly();
            liveVerifier.verify(WAIT);
        } finally {
            live.destroyForcibly();
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.pid();
    }

    @Test
    void forkNotesArriveThroughTheFluxBeforeTheExit() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read x; /bin/true; read x; exit 3").start();
        try {
            RealPoller.Registered r = real.registered(poller.process(p.pid(), Note.FORK | Note.EXIT));
            StepVerifier.create(r.flux())
                .expectSubscription()
                .then(() -> {
                    r.await();
                    line(p);
                })
                .assertNext(ev -> {
                    assertEquals(p.pid(), ev.ident());
                    assertEquals(Note.FORK, ev.fflags(), "a fork, not the exit: " + ev);
                    assertFalse(ev.has(Ev.EOF), ev.toString());
                })
                .then(() -> line(p))
                .assertNext(ev -> {
                    exitEvent(ev, p.pid());
                    assertEquals(3, WaitStatus.of(ev).exitCode());
                })
                .expectComplete()
                .verify(WAIT);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void zombieThatIsNotOurChildReportsItsExitAtOnce() throws Exception {
        // The grandchild is killed once its parent has become "sleep", which never reaps it.
        Process p = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; exec sleep 60").start();
        try {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            awaitState(p.pid(), "sleep");
            ProcessHandle.of(zombie).orElseThrow().destroyForcibly();
            awaitZombie(zombie);
            StepVerifier.create(poller.process(zombie))
                .assertNext(ev -> {
                    exitEvent(ev, zombie);
                    WaitStatus st = WaitStatus.of(ev);
                    assertFalse(st.available(), "Linux lets only the parent read a zombie's status: " + st);
                    assertEquals(Errno.ECHILD.number(), ev.ext0(), ev.toString());
                })
                .expectComplete()
                .verify(WAIT);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** Waits until the process's command name is {@code comm} (it has exec'd). */
    private static void awaitState(long pid, String comm) throws Exception {
        Path f = Path.of("/proc/" + pid + "/comm");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.readString(f).strip().equals(comm)) {
            if (System.nanoTime() > deadline) throw new AssertionError("pid " + pid + " never became " + comm);
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    /** Waits until /proc says the process is a zombie (state Z). */
    private static void awaitZombie(long pid) throws Exception {
        Path f = Path.of("/proc/" + pid + "/stat");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String stat = Files.readString(f);
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) return;
            if (System.nanoTime() > deadline) throw new AssertionError("pid " + pid + " did not become a zombie");
            Thread.sleep(1);
        }
    }

    @Test
    void withoutNoteExitTheExitIsOnCompleteAlone() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read x; exit 0").start();
        try {
            RealPoller.Registered r = real.registered(poller.process(p.pid(), Note.FORK));
            StepVerifier.create(r.flux())
                .expectSubscription()
                .then(() -> {
                    r.await();
                    line(p);
                })
                .expectComplete()
                .verify(WAIT);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void noteTrackIsRefusedWithTheReasonAndAddsNoKnote() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            for (Flux<KEvent> f : java.util.List.of(poller.process(p.pid(), Note.TRACK | Note.FORK),
                poller.events(EventSpec.of(EvFilt.PROC, p.pid()).withFflags(Note.TRACK | Note.EXIT)))) {
                StepVerifier.create(f)
                    .expectErrorMatches(kqError("EINVAL", p.pid()).and(t -> t.getMessage().contains("NOTE_TRACK")))
                    .verify(WAIT);
            }
            real.flush();
            assertEquals(0, real.knotes());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
