package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 1,000 ProcessBuilder children killed at once: the one thread calling kevent sees every exit
 * exactly once with its status, and the JDK still reaps each child with the right value.
 */
class ProcManyChildrenTest {
    private static final int CHILDREN = 1_000;

    @Test
    void thousandExitsAreEachReportedOnceWithTheirStatus() throws Exception {
        int baseline = ProcFs.kernelObjectFds();
        List<Process> children = new ArrayList<>(CHILDREN);
        ProcessBuilder pb = new ProcessBuilder("sleep", "120").redirectInput(new File("/dev/null"))
            .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        try (KQueue kq = KQueue.open()) {
            try {
                for (int i = 0; i < CHILDREN; i++) children.add(pb.start());
                KEvent[] changes = new KEvent[CHILDREN];
                for (int i = 0; i < CHILDREN; i++) {
                    changes[i] = KEvent.of(children.get(i).pid(), EvFilt.PROC, Ev.ADD, Note.EXIT, 0, i);
                }
                kq.kevent(changes, CHILDREN, KQueue.NO_EVENTS, 0, 0);
                // Half die by SIGKILL, half by SIGTERM, so that a mixed-up status would show.
                for (int i = 0; i < CHILDREN; i++) {
                    if (i % 2 == 0) children.get(i).destroyForcibly(); else children.get(i).destroy();
                }
                Map<Long, KEvent> seen = new HashMap<>();
                KEvent[] out = new KEvent[256];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (seen.size() < CHILDREN) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "only " + seen.size() + " exits seen");
                    int n = kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, left);
                    for (int i = 0; i < n; i++) {
                        KEvent prev = seen.put(out[i].ident(), out[i]);
                        assertEquals(null, prev, "reported twice: " + out[i]);
                    }
                }
                assertEquals(0, kq.kevent(null, out, Duration.ZERO), "nothing after the last exit");
                for (int i = 0; i < CHILDREN; i++) {
                    Process p = children.get(i);
                    KEvent ev = seen.get(p.pid());
                    assertEquals(i, ev.udata());
                    assertTrue(ev.hasNote(Note.EXIT) && ev.has(Ev.EOF), ev.toString());
                    int signal = i % 2 == 0 ? 9 : 15;
                    assertEquals(signal, WaitStatus.of(ev).termSignal(), ev.toString());
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(128 + signal, p.exitValue(), "the JDK's reaper still got the status");
                }
                assertEquals(Map.of(), ((LinuxKQueue) kq).knoteCounts());
            } finally {
                for (Process p : children) p.destroyForcibly();
                for (Process p : children) p.waitFor();
            }
        }
        assertEquals(baseline, ProcFs.kernelObjectFds());
    }
}
