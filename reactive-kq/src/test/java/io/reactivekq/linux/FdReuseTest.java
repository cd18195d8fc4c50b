package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An fd closed without EV_DELETE whose number the kqueue then reuses for one of its own
 * sources: deleting the stale knote must not unregister the new owner from epoll. And an fd
 * closed while its file stays open through a duplicate: epoll keeps that registration and
 * it can no longer be changed or removed through the fd number, so it must be one that cannot
 * make every wait return at once (an edge-triggered one; a level-triggered registration would
 * report the still-readable file on every epoll_wait for as long as the duplicate lives).
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

    @Test
    void anFdClosedWhileItsFileStaysOpenDoesNotKeepTheWaitBusy() throws Exception {
        int[] p = fds.pipe();
        int dup = LinuxSys.fcntl(p[0], F_DUPFD_CLOEXEC, 0);
        assertTrue(dup >= 0, "dup: " + dup);
        try {
            kq.register(read(p[0], Ev.ADD));
            TestFds.write(p[1], "x"); // stays unread: the file is readable throughout
            assertEquals(1, Kev.one(kq).data());
            fds.closeNow(p[0]);
            assertWaitSleeps();
            kq.register(read(p[0], Ev.DELETE)); // deleted after the close (a batched cancel)
            assertTrue(kq.knoteCounts().isEmpty());
            assertWaitSleeps();
        } finally {
            LinuxSys.close(dup);
        }
    }

    @Test
    void aReusedFdNumberWorksWhileTheOldFileStaysOpen() throws Exception {
        int[] old = fds.pipe();
        int dup = LinuxSys.fcntl(old[0], F_DUPFD_CLOEXEC, 0);
        assertTrue(dup >= 0, "dup: " + dup);
        try {
            kq.register(read(old[0], Ev.ADD));
            TestFds.write(old[1], "x");
            assertEquals(1, Kev.one(kq).data());
            int[] fresh = fds.pipe();
            assertEquals(old[0], LinuxSys.dup3(fresh[0], old[0], LinuxSys.O_CLOEXEC), "the number now names the new pipe");
            kq.register(read(old[0], Ev.ADD));
            assertWaitSleeps();
            TestFds.write(fresh[1], "new");
            assertEquals(3, Kev.one(kq).data());
        } finally {
            LinuxSys.close(dup);
        }
    }

    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final long WAIT_MILLIS = 300;

    /** A kevent call that has nothing to return sleeps through its timeout instead of spinning. */
    private void assertWaitSleeps() throws Exception {
        long cpuBefore = ProcFs.threadCpuMillis();
        KEvent[] out = new KEvent[4];
        int n = kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS));
        long cpu = ProcFs.threadCpuMillis() - cpuBefore;
        assertEquals(0, n, "nothing to return");
        // CPU time, not wall time: a sleeping call uses next to none however loaded the machine.
        assertTrue(cpu < WAIT_MILLIS / 3, "the call used " + cpu + " ms of CPU in a " + WAIT_MILLIS + " ms wait");
    }
}
