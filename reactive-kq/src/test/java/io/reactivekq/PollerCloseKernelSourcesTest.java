package io.reactivekq;

import static io.reactivekq.RealPoller.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Note;
import io.reactivekq.linux.TestFds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** close() with live PROC, SIGNAL and VNODE subscriptions on the Linux backend. */
class PollerCloseKernelSourcesTest {

    @Test
    void closeCompletesProcessSignalAndVnodeSubscriptionsAndReturnsEveryFd() throws Exception {
        Path dir = Files.createTempDirectory("kq-close-kernel");
        Path file = Files.writeString(dir.resolve("f"), "x");
        Process child = new ProcessBuilder("sleep", "60").start();
        new TestPipe().close(); // the JDK opens one socket of its own at the first NIO channel
        int before = TestFds.openFdCount();
        try {
            RealPoller real = new RealPoller();
            KqPoller p = real.poller;
            List<StepVerifier> live = List.of(
                StepVerifier.create(p.process(child)).expectSubscription().expectComplete().verifyLater(),
                StepVerifier.create(p.process(child.pid(), Note.FORK | Note.EXEC)).expectSubscription()
                    .expectComplete().verifyLater(),
                StepVerifier.create(p.signal("WINCH"), 0).expectSubscription().expectComplete().verifyLater(),
                StepVerifier.create(p.vnode(file)).expectSubscription().expectComplete().verifyLater(),
                StepVerifier.create(p.vnode(dir, Note.WRITE), 0).expectSubscription().expectComplete().verifyLater());
            real.flush();
            assertEquals(4, real.knotes(), "one PROC knote shared by two subscribers, SIGNAL, two VNODE");
            assertTrue(TestFds.openFdCount() > before, "pidfd, inotify, watch fds");
            real.close();
            for (StepVerifier v : live) v.verify(WAIT);
            assertTrue(p.isClosed());
            assertEquals(before, TestFds.openFdCount(), "kqueue, pidfd, connector, inotify and watch fds closed");
            assertTrue(child.isAlive(), "closing a poller does not touch the process it watched");
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
