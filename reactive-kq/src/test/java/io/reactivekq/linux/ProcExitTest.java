package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** EVFILT_PROC NOTE_EXIT over pidfds: status, EV_EOF|EV_ONESHOT, zombies, non-children, ESRCH. */
class ProcExitTest {

    static KEvent exitChange(long pid) {
        return KEvent.of(pid, EvFilt.PROC, Ev.ADD, Note.EXIT, 0, 0);
    }

    /** Waits for one event, failing after 30 s. */
    static KEvent next(KQueue kq) {
        KEvent[] out = new KEvent[1];
        int n = kq.kevent(null, out, Duration.ofSeconds(30));
        assertEquals(1, n, "no event within 30 s");
        return out[0];
    }

    @Test
    void childExitCodeIsReportedAndTheJdkStillReapsIt() throws Exception {
        int baseline = ProcFs.kernelObjectFds();
        Process p = new ProcessBuilder("sh", "-c", "read x; exit 7").start();
        try (LinuxKQueue kq = LinuxKQueue.open()) {
            kq.register(exitChange(p.pid()));
            assertEquals(0, kq.kevent(null, new KEvent[1], Duration.ZERO), "no event before the exit");
            p.getOutputStream().close(); // read fails, the shell exits 7
            KEvent ev = next(kq);
            assertEquals(p.pid(), ev.ident());
            assertTrue(ev.hasNote(Note.EXIT), ev.toString());
            assertTrue(ev.has(Ev.EOF) && ev.has(Ev.ONESHOT), ev.toString());
            WaitStatus ws = WaitStatus.of(ev);
            assertTrue(ws.exited(), ws.toString());
            assertEquals(7, ws.exitCode());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(7, p.exitValue(), "the JDK reaped the child with its real status");
            assertEquals(Map.of(), kq.knoteCounts(), "NOTE_EXIT is one-shot");
        }
        p.getInputStream().close();
        p.getErrorStream().close();
        assertEquals(baseline, ProcFs.kernelObjectFds());
    }

    @Test
    void killedChildReportsTheSignal() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try (KQueue kq = KQueue.open()) {
            kq.register(exitChange(p.pid()));
            p.destroyForcibly();
            KEvent ev = next(kq);
            WaitStatus ws = WaitStatus.of(ev);
            assertTrue(ws.signaled(), ws.toString());
            assertEquals(9, ws.termSignal());
            assertFalse(ws.exited());
            assertEquals(-1, ws.exitCode());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue());
        }
    }

    @Test
    void zombieNonChildReportsAtOnceWithStatusUnavailable() throws Exception {
        // The grandchild is killed once its parent has become "sleep", which never reaps it.
        Process p = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; exec sleep 60").start();
        try (KQueue kq = KQueue.open()) {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            ProcFs.awaitComm(p.pid(), "sleep");
            ProcessHandle.of(zombie).orElseThrow().destroyForcibly();
            ProcFs.awaitZombie(zombie);
            kq.register(exitChange(zombie));
            KEvent[] out = new KEvent[2];
            assertEquals(1, kq.kevent(null, out, Duration.ZERO), "a zombie's exit is pending at once");
            KEvent ev = out[0];
            assertTrue(ev.hasNote(Note.EXIT) && ev.has(Ev.EOF), ev.toString());
            WaitStatus ws = WaitStatus.of(ev);
            assertFalse(ws.available(), "not our child: no made-up status");
            assertEquals(WaitStatus.UNAVAILABLE, ev.data());
            assertEquals(Errno.ECHILD.number(), ev.ext0());
            assertFalse(ws.exited() || ws.signaled());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void runningNonChildReportsItsExitWithStatusUnavailable() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; exec sleep 60").start();
        try (KQueue kq = KQueue.open()) {
            long grandchild = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            ProcFs.awaitComm(p.pid(), "sleep");
            kq.register(exitChange(grandchild));
            assertEquals(0, kq.kevent(null, new KEvent[1], Duration.ZERO));
            ProcessHandle.of(grandchild).orElseThrow().destroyForcibly();
            KEvent ev = next(kq);
            assertEquals(grandchild, ev.ident());
            assertFalse(WaitStatus.of(ev).available(), ev.toString());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void nonChildReapedByItsOwnParentIsStillUnavailable() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; wait; echo reaped; exec sleep 60").start();
        try (KQueue kq = KQueue.open()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            long grandchild = Long.parseLong(out.readLine());
            kq.register(exitChange(grandchild));
            ProcessHandle.of(grandchild).orElseThrow().destroyForcibly();
            assertEquals("reaped", out.readLine()); // the shell has collected it before we look
            KEvent ev = next(kq);
            assertEquals(grandchild, ev.ident());
            assertFalse(WaitStatus.of(ev).available(), "the same answer whatever the parent's timing: " + ev);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void missingPidFailsWithEsrch() {
        try (KQueue kq = KQueue.open()) {
            long nowhere = 4_194_304L + 17; // beyond PID_MAX_LIMIT: can never exist
            KqException e = assertThrows(KqException.class, () -> kq.register(exitChange(nowhere)));
            assertEquals("ESRCH", e.errnoName(), e.getMessage());
            assertEquals(nowhere, e.ident());
            KqException neg = assertThrows(KqException.class, () -> kq.register(exitChange(-5)));
            assertEquals("ESRCH", neg.errnoName());
            KEvent[] out = new KEvent[1];
            KEvent receipt = KEvent.of(nowhere, EvFilt.PROC, Ev.ADD | Ev.RECEIPT, Note.EXIT, 0, 0);
            assertEquals(1, kq.kevent(new KEvent[] {receipt}, out, Duration.ZERO));
            assertTrue(out[0].isError());
            assertEquals(Errno.ESRCH.number(), out[0].data());
        }
    }

    @Test
    void deleteBeforeExitReportsNothingAndFreesThePidfd() throws Exception {
        int baseline = ProcFs.kernelObjectFds();
        Process p = new ProcessBuilder("sleep", "60").start();
        try (KQueue kq = KQueue.open()) {
            kq.register(exitChange(p.pid()));
            kq.register(KEvent.of(p.pid(), EvFilt.PROC, Ev.DELETE));
            p.destroyForcibly().waitFor();
            assertEquals(0, kq.kevent(null, new KEvent[1], Duration.ofMillis(50)));
        }
        p.getInputStream().close();
        p.getErrorStream().close();
        p.getOutputStream().close();
        assertEquals(baseline, ProcFs.kernelObjectFds());
    }
}
