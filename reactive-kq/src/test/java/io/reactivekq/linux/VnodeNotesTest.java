package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EVFILT_VNODE on files: each note with its kqueue(2) meaning, only registered notes, EV_CLEAR accumulation. */
class VnodeNotesTest {
    static final int ALL = Note.DELETE | Note.WRITE | Note.EXTEND | Note.ATTRIB | Note.LINK | Note.RENAME | Note.REVOKE;

    @TempDir
    Path dir;
    /** The watched file (10 bytes) and a marker file for {@link #assertQuiet}. */
    Path f;
    Path marker;

    @BeforeEach
    void files() throws Exception {
        f = Files.writeString(dir.resolve("f"), "0123456789");
        marker = Files.createFile(dir.resolve("marker"));
    }

    static KEvent vnode(int fd, int notes) {
        return KEvent.of(fd, EvFilt.VNODE, Ev.ADD, notes, 0, 0);
    }

    /** The next event, within 30 s. */
    static KEvent next(KQueue kq) {
        KEvent[] out = new KEvent[1];
        assertEquals(1, kq.kevent(null, out, Duration.ofSeconds(30)), "no event within 30 s");
        return out[0];
    }

    /**
     * Proves nothing more is pending: a marker change made after the action must be the next
     * event, so any note the action raised would have been queued before it.
     */
    static void assertQuiet(KQueue kq, Path marker, int markerFd) throws Exception {
        kq.register(KEvent.of(markerFd, EvFilt.VNODE, Ev.ADD | Ev.ONESHOT, Note.WRITE, 0, 0));
        Files.writeString(marker, "x", StandardOpenOption.APPEND);
        KEvent ev = next(kq);
        assertEquals(markerFd, ev.ident(), "unexpected event " + ev);
    }

    @Test
    void writesAndGrowth() throws Exception {
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int fd = fds.open(f.toFile(), LinuxSys.O_RDONLY);
            int mfd = fds.open(marker.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(fd, Note.WRITE | Note.EXTEND));
            Files.writeString(f, "abc", StandardOpenOption.APPEND);
            KEvent ev = next(kq);
            assertEquals(fd, ev.ident());
            assertEquals(Note.WRITE | Note.EXTEND, ev.fflags(), ev.toString());
            assertTrue(ev.has(Ev.CLEAR), "EV_CLEAR is implied");
            assertFalse(ev.has(Ev.EOF));
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.write('Z'); // in place: a write, no growth
            }
            assertEquals(Note.WRITE, next(kq).fflags());
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(4); // shrinking is a write, not an extension
            }
            assertEquals(Note.WRITE, next(kq).fflags());
            assertQuiet(kq, marker, mfd);
        }
    }

    @Test
    void attributesLinksRenameAndDeletionOfTheLastLink() throws Exception {
        int baseline = ProcFs.kernelObjectFds();
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int fd = fds.open(f.toFile(), LinuxSys.O_RDONLY);
            int mfd = fds.open(marker.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(fd, ALL));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            assertEquals(Note.ATTRIB, next(kq).fflags(), "chmod");
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
            assertEquals(Note.ATTRIB, next(kq).fflags(), "utimes");
            Path link = Files.createLink(dir.resolve("second-name"), f);
            assertEquals(Note.LINK, next(kq).fflags(), "link(2) raised the link count");
            Path moved = Files.move(f, dir.resolve("renamed"));
            assertEquals(Note.RENAME, next(kq).fflags(), "rename(2) of the file itself");
            Files.delete(link);
            assertEquals(Note.LINK, next(kq).fflags(), "one of two names removed: the count moved, the file lives");
            Files.delete(moved);
            KEvent del = next(kq);
            assertEquals(Note.DELETE, del.fflags(), "the last link is gone while our fd keeps the inode: " + del);
            assertFalse(del.has(Ev.EOF), "NOTE_DELETE is not final on BSD: the fd still works");
            assertEquals(1, ((LinuxKQueue) kq).knoteCounts().get("EVFILT_VNODE"));
            assertQuiet(kq, marker, mfd);
        }
        assertEquals(baseline, ProcFs.kernelObjectFds());
    }

    @Test
    void onlyRegisteredNotesAreReportedAndTheyAccumulateUntilDelivered() throws Exception {
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int fd = fds.open(f.toFile(), LinuxSys.O_RDONLY);
            int mfd = fds.open(marker.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(fd, Note.ATTRIB));
            Files.writeString(f, "more", StandardOpenOption.APPEND); // not registered
            assertQuiet(kq, marker, mfd);
            kq.register(vnode(fd, Note.ATTRIB | Note.WRITE)); // EV_ADD on the knote widens it
            Files.writeString(f, "more", StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
            Files.writeString(f, "more", StandardOpenOption.APPEND);
            KEvent[] out = new KEvent[4];
            int n = kq.kevent(null, out, Duration.ofSeconds(30));
            int seen = 0;
            for (int i = 0; i < n; i++) seen |= out[i].fflags();
            // The three changes may take one or two reads of inotify; each event is one knote report.
            while ((seen & (Note.WRITE | Note.ATTRIB)) != (Note.WRITE | Note.ATTRIB)) seen |= next(kq).fflags();
            assertEquals(Note.WRITE | Note.ATTRIB, seen);
            assertQuiet(kq, marker, mfd);
        }
    }

    @Test
    void twoKnotesOnOneInodeShareOneWatchAndAreToldApart() throws Exception {
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int writes = fds.open(f.toFile(), LinuxSys.O_RDONLY);
            int attribs = fds.open(f.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(writes, Note.WRITE), vnode(attribs, Note.ATTRIB));
            assertEquals(1, inotifyWatchCount(), "one kernel watch for the inode");
            Files.writeString(f, "x", StandardOpenOption.APPEND);
            KEvent w = next(kq);
            assertEquals(writes, w.ident());
            assertEquals(Note.WRITE, w.fflags());
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            KEvent a = next(kq);
            assertEquals(attribs, a.ident());
            assertEquals(Note.ATTRIB, a.fflags());
            int mfd = fds.open(marker.toFile(), LinuxSys.O_RDONLY);
            assertQuiet(kq, marker, mfd);
            kq.register(KEvent.of(writes, EvFilt.VNODE, Ev.DELETE));
            assertEquals(1, inotifyWatchCount(), "the other knote keeps the watch");
            kq.register(KEvent.of(attribs, EvFilt.VNODE, Ev.DELETE));
            assertEquals(0, inotifyWatchCount(), "the last knote removes it");
        }
    }

    /** Kernel watches held by this process's inotify instances (from /proc/self/fdinfo). */
    static int inotifyWatchCount() throws Exception {
        int count = 0;
        for (File fd : new File("/proc/self/fd").listFiles()) {
            String target;
            try {
                target = Files.readSymbolicLink(fd.toPath()).toString();
            } catch (java.io.IOException e) {
                continue;
            }
            if (!target.equals("anon_inode:inotify")) continue;
            count += (int) Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd.getName())).stream()
                .filter(l -> l.startsWith("inotify wd:")).count();
        }
        return count;
    }
}
