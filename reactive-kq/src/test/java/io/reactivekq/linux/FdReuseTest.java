package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import org.junit.jupiter.api.Test;

/**
 * An fd closed without EV_DELETE whose number the kqueue then reuses for one of its own
 * sources: deleting the stale knote must not unregister the new owner from epoll.
 */
class FdReuseTest extends KqFixture {

    @Test
    void deletingAStaleReadKnoteLeavesTheSourceThatReusedItsFdNumberWatched() throws Exception {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        fds.closeNow(p[0]); // the app closes first and deletes later (a batched cancel)
        Process child = new ProcessBuilder("sh", "-c", "read x; exit 4").start();
        try {
            kq.register(KEvent.of(child.pid(), EvFilt.PROC, Ev.ADD, Note.EXIT, 0, 0));
            assertTrue(kq.source(p[0]) instanceof PidSource,
                "precondition: the pidfd took the closed fd number " + p[0]);
            kq.register(read(p[0], Ev.DELETE));
            child.getOutputStream().close(); // the child's read sees EOF and it exits
            KEvent exit = awaitEvent(kq, e -> e.filter() == EvFilt.PROC);
            assertTrue(exit.hasNote(Note.EXIT), exit::toString);
            assertEquals(4, child.waitFor());
        } finally {
            child.destroyForcibly();
        }
    }
}
