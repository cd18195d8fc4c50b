package io.reactivekq;

import static io.reactivekq.RealPoller.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.Fd;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.linux.TestFds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** EVFILT_VNODE through the flux on the Linux backend: notes, final delete, mux notes, fds. */
class VnodeFluxTest {
    private final RealPoller real = new RealPoller();
    private final KqPoller poller = real.poller;
    private final Path dir;
    private final Path file;

    VnodeFluxTest() throws IOException {
        dir = Files.createTempDirectory("kq-vnode-flux");
        file = Files.writeString(dir.resolve("f"), "x");
    }

    @AfterEach
    void close() throws IOException {
        real.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void append(Path f, String s) {
        try {
            Files.writeString(f, s, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    @Test
    void appendIsWriteAndExtend() {
        RealPoller.Registered r = real.registered(poller.vnode(file, Note.WRITE | Note.EXTEND | Note.DELETE));
        StepVerifier.create(r.flux())
            .expectSubscription()
            .then(() -> {
                r.await();
                append(file, "more");
            })
            .assertNext(ev -> {
                assertEquals(EvFilt.VNODE, ev.filter());
                assertEquals(Note.WRITE | Note.EXTEND, ev.fflags(), ev.toString());
            })
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void deletingTheLastNameIsOnNextWithNoteDeleteThenCompleteAndTheFdIsClosed() {
        int baseline = warmedFdBaseline();
        RealPoller.Registered r = real.registered(poller.vnode(file));
        StepVerifier.create(r.flux())
            .expectSubscription()
            .then(() -> {
                r.await();
                assertTrue(TestFds.openFdCount() > baseline, "the path was opened");
                io(() -> Files.delete(file));
            })
            .assertNext(ev -> assertTrue(ev.hasNote(Note.DELETE), ev.toString()))
            .expectComplete()
            .verify(WAIT);
        real.flush();
        assertEquals(0, real.knotes());
        assertEquals(baseline, TestFds.openFdCount(), "the watch's fd is closed after its final event");
    }

    @Test
    void aRevokedTerminalIsOnNextWithNoteRevokeThenComplete() {
        int[] pty = new int[2];
        assertEquals(0, io.reactivekq.sys.LinuxTtySys.openPty(pty));
        try {
            RealPoller.Registered r = real.registered(poller.vnode(pty[1], Note.REVOKE | Note.WRITE));
            StepVerifier.create(r.flux())
                .expectSubscription()
                .then(() -> {
                    r.await();
                    io.reactivekq.sys.LinuxSys.close(pty[0]); // the master goes: the terminal is hung up
                    pty[0] = -1;
                })
                .assertNext(ev -> {
                    assertTrue(ev.hasNote(Note.REVOKE), ev.toString());
                    assertTrue(ev.has(Ev.EOF), "a final event: " + ev);
                })
                .expectComplete()
                .verify(WAIT);
            real.flush();
            assertEquals(0, real.knotes());
        } finally {
            if (pty[0] >= 0) io.reactivekq.sys.LinuxSys.close(pty[0]);
            io.reactivekq.sys.LinuxSys.close(pty[1]);
        }
    }

    /** Two fds of one inode (two path subscribers), or one fd shared by two subscribers (one knote). */
    @Test
    void twoPathSubscribersSeeOnlyTheirOwnNotes() throws Exception {
        ownNotesOnly(notes -> poller.vnode(file, notes), 2);
    }

    @Test
    void twoSubscribersOfOneFdShareAKnoteAndSeeOnlyTheirOwnNotes() throws Exception {
        int fd = Fd.openForWatch(file);
        try {
            ownNotesOnly(notes -> poller.vnode(fd, notes), 1);
        } finally {
            Fd.close(fd);
        }
    }

    private void ownNotesOnly(IntFunction<Flux<KEvent>> watch, int knotes) throws Exception {
        BlockingQueue<KEvent> attribs = new LinkedBlockingQueue<>();
        BlockingQueue<KEvent> writes = new LinkedBlockingQueue<>();
        Disposable a = watch.apply(Note.ATTRIB).subscribe(attribs::add);
        Disposable w = watch.apply(Note.WRITE).subscribe(writes::add);
        try {
            real.flush();
            assertEquals(knotes, real.knotes());
            append(file, "1");
            assertEquals(Note.WRITE, next(writes).fflags());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            assertEquals(Note.ATTRIB, next(attribs).fflags());
            append(file, "2");
            assertEquals(Note.WRITE, next(writes).fflags());
            real.flush();
            assertTrue(attribs.isEmpty(), "no writes for the ATTRIB subscriber: " + attribs);
            assertTrue(writes.isEmpty(), "no chmod for the WRITE subscriber: " + writes);
        } finally {
            a.dispose();
            w.dispose();
        }
        real.flush();
        assertEquals(0, real.knotes());
    }

    private static KEvent next(BlockingQueue<KEvent> q) throws InterruptedException {
        KEvent ev = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (ev == null) throw new AssertionError("no event within " + WAIT);
        return ev;
    }

    @Test
    void aDirectoryReportsWriteWhenAnEntryIsAdded() {
        RealPoller.Registered r = real.registered(poller.vnode(dir, Note.WRITE));
        StepVerifier.create(r.flux())
            .expectSubscription()
            .then(() -> {
                r.await();
                io(() -> Files.createFile(dir.resolve("new")));
            })
            .assertNext(ev -> {
                assertEquals(Note.WRITE, ev.fflags(), ev.toString());
                assertFalse(ev.has(Ev.EOF));
            })
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void aMissingPathIsEnoentNamingThePath() {
        Path missing = dir.resolve("missing");
        StepVerifier.create(poller.vnode(missing))
            .expectErrorMatches(t -> t instanceof KqException e && e.errnoName().equals("ENOENT")
                && e.getMessage().contains(missing.toString()))
            .verify(WAIT);
    }

    @Test
    void cancelClosesTheFdThePathWatchOpened() throws Exception {
        int baseline = warmedFdBaseline();
        Disposable d = poller.vnode(file).subscribe();
        real.flush();
        assertEquals(baseline + 1, TestFds.openFdCount(), "one fd for the watch");
        d.dispose();
        real.flush();
        assertEquals(baseline, TestFds.openFdCount(), "the watch's fd is closed with its registration");
    }

    /** The fd count once a first watch made the kqueue's inotify fd, which the kqueue keeps. */
    private int warmedFdBaseline() {
        Disposable first = poller.vnode(file).subscribe();
        real.flush();
        first.dispose();
        real.flush();
        return TestFds.openFdCount();
    }
}
