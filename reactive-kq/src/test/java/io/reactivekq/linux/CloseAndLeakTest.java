package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.call;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.timer;
import static io.reactivekq.linux.Kev.user;
import static io.reactivekq.linux.Kev.write;
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
import io.reactivekq.sys.LinuxSys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close(): fds back to the baseline, EBADF afterwards, sleepers woken with EBADF. */
class CloseAndLeakTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS), "a kevent caller hung");
    }

    @Test
    void closeReturnsTheFdCountToItsBaselineWithEveryKindOfKnote() throws Exception {
        try (TestFds fds = new TestFds(); Tcp tcp = new Tcp().pair()) {
            int[] p = fds.pipe();
            int[] s = fds.socketPair();
            Path f = dir.resolve("f");
            Files.write(f, new byte[10]);
            int file = fds.open(f.toFile(), LinuxSys.O_RDONLY);
            int baseline = TestFds.openFdCount();
            for (int round = 0; round < 3; round++) {
                KQueue kq = KQueue.open();
                kq.register(read(p[0], Ev.ADD), write(p[1], Ev.ADD), read(s[0], Ev.ADD), write(s[0], Ev.ADD),
                    read(file, Ev.ADD), read(TestFds.fdOf(tcp.accepted), Ev.ADD), read(tcp.serverFd(), Ev.ADD),
                    timer(1, Ev.ADD, 0, 5), user(2, Ev.ADD));
                assertTrue(call(kq, 16, 0).size() >= 3);
                assertTrue(TestFds.openFdCount() > baseline, "the kqueue holds fds while open");
                kq.close();
                assertEquals(baseline, TestFds.openFdCount(), "round " + round);
            }
        }
    }

    @Test
    void deletingEveryKnoteReleasesTheSourcesButTheKqueueStaysUsable() throws Exception {
        try (TestFds fds = new TestFds(); LinuxKQueue kq = LinuxKQueue.open()) {
            int[] p = fds.pipe();
            kq.register(read(p[0], Ev.ADD), write(p[1], Ev.ADD));
            kq.register(read(p[0], Ev.DELETE), write(p[1], Ev.DELETE));
            assertTrue(kq.knoteCounts().isEmpty());
            assertTrue(call(kq, 8, 0).isEmpty());
            TestFds.write(p[1], "x");
            assertTrue(call(kq, 8, 0).isEmpty(), "a deleted knote still fires");
            Kev.assertUserWorks(kq, 1);
        }
    }

    @Test
    void keventAfterCloseIsEbadf() {
        KQueue kq = KQueue.open();
        kq.register(user(1, Ev.ADD));
        kq.close();
        KqException e = assertThrows(KqException.class, () -> call(kq, 4, 0));
        assertEquals(Errno.EBADF.number(), e.errno());
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
        e = assertThrows(KqException.class, () -> kq.register(user(2, Ev.ADD)));
        assertEquals(Errno.EBADF.number(), e.errno());
    }

    @Test
    void closeIsIdempotent() {
        int baseline = TestFds.openFdCount();
        KQueue kq = KQueue.open();
        kq.close();
        kq.close();
        assertEquals(baseline, TestFds.openFdCount());
    }

    @Test
    void closeWakesABlockedCallerWithEbadf() throws Exception {
        LinuxKQueue kq = LinuxKQueue.open();
        Future<List<KEvent>> f = pool.submit(() -> call(kq, 4, KQueue.FOREVER));
        ThreadingTest.awaitSleepers(kq, 1);
        kq.close();
        assertEbadf(f);
    }

    @Test
    void closeWakesEveryBlockedCaller() throws Exception {
        int baseline = TestFds.openFdCount();
        LinuxKQueue kq = LinuxKQueue.open();
        kq.register(timer(1, Ev.ADD, Note.SECONDS, 3600));
        List<Future<List<KEvent>>> callers = new ArrayList<>();
        for (int i = 0; i < 3; i++) callers.add(pool.submit(() -> call(kq, 4, KQueue.FOREVER)));
        ThreadingTest.awaitSleepers(kq, 3);
        Future<?> closing = pool.submit(kq::close);
        closing.get(20, TimeUnit.SECONDS);
        for (Future<List<KEvent>> f : callers) assertEbadf(f);
        assertEquals(baseline, TestFds.openFdCount());
        assertFalse(kq.holdsNativeMemoryForTest(), "the native buffers are freed");
    }

    @Test
    void closeFromAnInterruptedThreadStillReleasesEverythingAndKeepsTheInterrupt() throws Exception {
        int baseline = TestFds.openFdCount();
        LinuxKQueue kq = LinuxKQueue.open();
        kq.register(user(1, Ev.ADD));
        Future<List<KEvent>> f = pool.submit(() -> call(kq, 4, KQueue.FOREVER));
        ThreadingTest.awaitSleepers(kq, 1);
        Thread.currentThread().interrupt();
        try {
            kq.close();
        } finally {
            assertTrue(Thread.interrupted(), "close keeps the caller's interrupt status");
        }
        assertEbadf(f);
        assertEquals(baseline, TestFds.openFdCount(), "an interrupt cut the release short");
        assertFalse(kq.holdsNativeMemoryForTest(), "the native buffers are freed");
    }

    private static void assertEbadf(Future<List<KEvent>> f) throws Exception {
        ExecutionException ex = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof KqException, String.valueOf(ex.getCause()));
        assertEquals(Errno.EBADF.number(), ((KqException) ex.getCause()).errno());
    }

    @Test
    void failedRegistrationsLeakNothing() {
        int baseline = TestFds.openFdCount();
        try (KQueue kq = KQueue.open()) {
            for (int i = 0; i < 50; i++) {
                call(kq, 4, 0, read(1 << 20, Ev.ADD), KEvent.of(1, (short) -40, Ev.ADD), timer(2, Ev.ADD, 0, -1));
            }
        }
        assertEquals(baseline, TestFds.openFdCount());
    }

    @Test
    void closeAfterTheWatchedFdsWereClosedStillReleasesEverything() throws Exception {
        int baseline = TestFds.openFdCount();
        LinuxKQueue kq = LinuxKQueue.open();
        try (TestFds fds = new TestFds()) {
            int[] s = fds.socketPair();
            int[] p = fds.pipe();
            kq.register(read(s[0], Ev.ADD), write(s[0], Ev.ADD), read(p[0], Ev.ADD), write(p[1], Ev.ADD));
            fds.closeNow(s[0]);
            fds.closeNow(p[0]);
        }
        kq.close();
        assertEquals(baseline, TestFds.openFdCount());
    }

    @Test
    void deleteOfOneFilterOnAClosedFdSucceedsAndLeavesTheKqueueUsable() throws Exception {
        try (TestFds fds = new TestFds(); LinuxKQueue kq = LinuxKQueue.open()) {
            int[] s = fds.socketPair();
            kq.register(read(s[0], Ev.ADD), write(s[0], Ev.ADD));
            fds.closeNow(s[0]);
            List<KEvent> r = call(kq, 4, 0, KEvent.of(s[0], EvFilt.READ, Ev.DELETE | Ev.RECEIPT));
            assertEquals(1, r.size());
            assertEquals(0, r.get(0).data(), r::toString);
            Kev.assertUserWorks(kq, 1);
        }
    }
}
