package io.reactivekq.linux;

import static io.reactivekq.linux.VnodeNotesTest.assertQuiet;
import static io.reactivekq.linux.VnodeNotesTest.next;
import static io.reactivekq.linux.VnodeNotesTest.vnode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EVFILT_VNODE on directories: entries are NOTE_WRITE, subdirectories NOTE_WRITE|NOTE_LINK. */
class VnodeDirectoryTest {
    @TempDir
    Path root;

    @Test
    void entriesAddedOrRemovedAreWritesAndSubdirectoriesAlsoLinks() throws Exception {
        Path d = Files.createDirectory(root.resolve("watched"));
        Path marker = Files.createFile(root.resolve("marker"));
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int fd = fds.open(d.toFile(), LinuxSys.O_RDONLY | LinuxSys.O_DIRECTORY);
            int mfd = fds.open(marker.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(fd, VnodeNotesTest.ALL));
            Path file = Files.createFile(d.resolve("file"));
            assertEquals(Note.WRITE, next(kq).fflags(), "entry added");
            Files.writeString(file, "content", StandardOpenOption.APPEND);
            assertQuiet(kq, marker, mfd); // an entry's content is not the directory's
            Path sub = Files.createDirectory(d.resolve("sub"));
            assertEquals(Note.WRITE | Note.LINK, next(kq).fflags(), "subdirectory added");
            Files.move(file, d.resolve("file2"));
            assertEquals(Note.WRITE, next(kq).fflags(), "entry renamed inside");
            Files.delete(d.resolve("file2"));
            assertEquals(Note.WRITE, next(kq).fflags(), "entry removed");
            Files.delete(sub);
            assertEquals(Note.WRITE | Note.LINK, next(kq).fflags(), "subdirectory removed");
            Files.move(d, root.resolve("moved"));
            assertEquals(Note.RENAME, next(kq).fflags(), "the directory itself renamed");
            assertQuiet(kq, marker, mfd);
        }
    }

    @Test
    void rmdirOfTheWatchedDirectoryIsDeleteEvenAfterItMoved() throws Exception {
        Path d = Files.createDirectory(root.resolve("doomed"));
        Path sibling = Files.createDirectory(root.resolve("sibling"));
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Path marker = Files.createFile(root.resolve("marker"));
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int fd = fds.open(d.toFile(), LinuxSys.O_RDONLY | LinuxSys.O_DIRECTORY);
            int mfd = fds.open(marker.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(fd, Note.DELETE | Note.RENAME));
            Files.delete(sibling);
            assertQuiet(kq, marker, mfd); // another directory leaving the parent is not ours
            Path moved = Files.move(d, elsewhere.resolve("doomed"));
            assertEquals(Note.RENAME, next(kq).fflags());
            Files.delete(moved); // rmdir in its new parent; the fd keeps the inode
            assertEquals(Note.DELETE, next(kq).fflags(), "rmdir of the watched directory");
            assertQuiet(kq, marker, mfd);
        }
    }
}
