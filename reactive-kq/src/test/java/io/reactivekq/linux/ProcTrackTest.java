package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * NOTE_FORK, NOTE_EXEC, NOTE_TRACK over the process-event connector (the tests run as root,
 * with CAP_NET_ADMIN; {@link ProcUnprivilegedTest} covers the refusal without it).
 */
class ProcTrackTest {
    private static final Map<Long, KEvent> CHILD_EVENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Collects events until {@code done} holds for the fflags accumulated per ident; 30 s bound.
     * Returns, per ident, the last event, and keeps the first NOTE_CHILD event in CHILD_EVENTS.
     */
    static Map<Long, KEvent> collect(KQueue kq, Map<Long, Integer> notes, Predicate<Map<Long, Integer>> done) {
        Map<Long, KEvent> last = new HashMap<>();
        KEvent[] out = new KEvent[16];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.test(notes)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("timed out; notes so far " + notes);
            int n = kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, left);
            for (int i = 0; i < n; i++) {
                notes.merge(out[i].ident(), out[i].fflags(), (a, b) -> a | b);
                last.put(out[i].ident(), out[i]);
                if (out[i].hasNote(Note.CHILD)) CHILD_EVENTS.putIfAbsent(out[i].ident(), out[i]);
            }
        }
        return last;
    }

    @Test
    void forkAndExecOfTheWatchedProcess() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read x; /bin/true; read x; exec sleep 60").start();
        try (KQueue kq = KQueue.open()) {
            kq.register(KEvent.of(p.pid(), EvFilt.PROC, Ev.ADD, Note.FORK | Note.EXEC | Note.EXIT, 0, 0));
            OutputStream in = p.getOutputStream();
            in.write('\n');
            in.flush();
            Map<Long, Integer> notes = new HashMap<>();
            collect(kq, notes, m -> (m.getOrDefault(p.pid(), 0) & Note.FORK) != 0);
            assertEquals(0, notes.get(p.pid()) & Note.EXEC, "forking is not exec'ing");
            in.write('\n');
            in.flush();
            notes.clear();
            collect(kq, notes, m -> (m.getOrDefault(p.pid(), 0) & Note.EXEC) != 0);
            p.destroyForcibly();
            KEvent exit = collect(kq, notes, m -> (m.getOrDefault(p.pid(), 0) & Note.EXIT) != 0).get(p.pid());
            assertTrue(exit.has(Ev.EOF), exit.toString());
            assertEquals(9, WaitStatus.of(exit).termSignal());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void trackRegistersEachChildWithNoteChildAndTheParentPid() throws Exception {
        int baseline = ProcFs.kernelObjectFds();
        Process p = new ProcessBuilder("sh", "-c", "read x; sleep 60 & echo $!; wait").start();
        try (KQueue kq = KQueue.open()) {
            long udata = 0xfeedL;
            kq.register(KEvent.of(p.pid(), EvFilt.PROC, Ev.ADD, Note.TRACK | Note.FORK | Note.EXEC | Note.EXIT, 0, udata));
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            long child = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            Map<Long, Integer> notes = new HashMap<>();
            collect(kq, notes, m -> (m.getOrDefault(child, 0) & (Note.CHILD | Note.EXEC))
                == (Note.CHILD | Note.EXEC) && (m.getOrDefault(p.pid(), 0) & Note.FORK) != 0);
            KEvent first = CHILD_EVENTS.get(child);
            assertEquals(udata, first.udata(), "the child's knote keeps the parent's udata");
            assertEquals(p.pid(), first.data(), "NOTE_CHILD carries the parent's pid in data");
            assertEquals(1, ((LinuxKQueue) kq).knoteCounts().size());
            assertEquals(2, ((LinuxKQueue) kq).knoteCounts().get("EVFILT_PROC"));
            ProcessHandle.of(child).orElseThrow().destroyForcibly();
            notes.clear();
            KEvent exit = collect(kq, notes, m -> (m.getOrDefault(child, 0) & Note.EXIT) != 0).get(child);
            assertTrue(exit.has(Ev.EOF), exit.toString());
            // A grandchild is not ours to wait for; the connector's exit record gives its status.
            assertEquals(9, WaitStatus.of(exit).termSignal(), exit.toString());
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertEquals(baseline, ProcFs.kernelObjectFds(), "pidfds and the connector socket are closed");
    }

    @Test
    void aChildGoneBeforeItCouldBeTrackedReportsTrackErr() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read x; /bin/true; echo done; exec sleep 60").start();
        try (KQueue kq = KQueue.open()) {
            kq.register(KEvent.of(p.pid(), EvFilt.PROC, Ev.ADD, Note.TRACK, 0, 0));
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            // When "done" is printed the shell has reaped /bin/true: its fork is still unread by the kqueue.
            assertEquals("done", new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            Map<Long, Integer> notes = new HashMap<>();
            collect(kq, notes, m -> (m.getOrDefault(p.pid(), 0) & Note.TRACKERR) != 0);
            assertEquals(1, ((LinuxKQueue) kq).knoteCounts().get("EVFILT_PROC"), "no knote for the vanished child");
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
