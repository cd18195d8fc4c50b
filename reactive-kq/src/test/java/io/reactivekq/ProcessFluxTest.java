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
import io.reactivekq.linux.ProcFs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Watches {@code p} through {@code watch}, ends it with {@code end} once the registration is
     * in the kqueue (a child the JDK reaped first would be ESRCH), and expects exactly one exit
     * event whose status {@code status} checks, then onComplete; returns the exit value the
     * JDK then reaped.
     */
    private int exitThroughTheFlux(Process p, Flux<KEvent> watch, java.util.function.Consumer<Process> end,
                                   java.util.function.Consumer<WaitStatus> status) throws Exception {
        RealPoller.Registered r = real.registered(watch);
        StepVerifier.create(r.flux())
            .expectSubscription()
            .then(() -> {
                r.await();
                end.accept(p);
            })
            .assertNext(ev -> {
                exitEvent(ev, p.pid());
                status.accept(WaitStatus.of(ev));
            })
            .expectComplete()
            .verify(WAIT);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        real.flush();
        assertEquals(0, real.knotes(), "the knote went with its final event");
        return p.exitValue();
    }

    @Test
    void childExitIsOneOnNextWithItsStatusThenCompleteAndTheJdkStillReapsIt() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read x; exit 7").start();
        try {
            int exit = exitThroughTheFlux(p, poller.process(p), ProcessFluxTest::line, st -> {
                assertTrue(st.exited(), st.toString());
                assertEquals(7, st.exitCode());
            });
            assertEquals(7, exit, "the wait status was read without reaping");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void processHandleAndPidOfASignalledChildReportTheSignal() throws Exception {
        record Case(java.util.function.Function<Process, Flux<KEvent>> watch, java.util.function.Consumer<Process> end,
                    int signal) {}
        List<Case> cases = List.of(new Case(p -> poller.process(p.toHandle()), Process::destroyForcibly, 9),
            new Case(p -> poller.process(p.pid()), Process::destroy, 15));
        for (Case c : cases) {
            Process p = new ProcessBuilder("sleep", "60").start();
            try {
                int exit = exitThroughTheFlux(p, c.watch().apply(p), c.end(), st -> {
                    assertTrue(st.signaled(), st.toString());
                    assertEquals(c.signal(), st.termSignal());
                });
                assertEquals(128 + c.signal(), exit);
            } finally {
                p.destroyForcibly();
            }
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
            ProcFs.awaitComm(p.pid(), "sleep");
            ProcessHandle.of(zombie).orElseThrow().destroyForcibly();
            ProcFs.awaitZombie(zombie);
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
            for (Flux<KEvent> f : List.of(poller.process(p.pid(), Note.TRACK | Note.FORK),
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
