package io.reactivekq.linux;

import static io.reactivekq.linux.VnodeNotesTest.vnode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inotify queue overflow loses records; the kqueue must not lose changes: every VNODE knote
 * is activated with the notes that may have happened. The overflow is provoked by filling the
 * queue (fs.inotify.max_queued_events records) without reading, which is deterministic.
 */
class VnodeOverflowTest {
    @TempDir
    Path root;

    @Test
    void overflowActivatesEveryKnoteWithWhatMayHaveHappened() throws Exception {
        int queue = Integer.parseInt(ProcFs.read("/proc/sys/fs/inotify/max_queued_events").strip());
        Path d = Files.createDirectory(root.resolve("busy"));
        Path quiet = Files.writeString(root.resolve("quiet"), "untouched");
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int dfd = fds.open(d.toFile(), LinuxSys.O_RDONLY | LinuxSys.O_DIRECTORY);
            int qfd = fds.open(quiet.toFile(), LinuxSys.O_RDONLY);
            kq.register(vnode(dfd, Note.WRITE | Note.LINK), vnode(qfd, Note.WRITE | Note.ATTRIB | Note.DELETE));
            // Distinct names: inotify merges only identical consecutive records.
            for (int i = 0; i <= queue + 16; i++) Files.createFile(d.resolve("e" + i));
            Map<Long, Integer> notes = new HashMap<>();
            KEvent[] out = new KEvent[8];
            int n = kq.kevent(null, out, Duration.ofSeconds(30));
            for (int i = 0; i < n; i++) {
                assertEquals(EvFilt.VNODE, out[i].filter());
                notes.merge(out[i].ident(), out[i].fflags(), (a, b) -> a | b);
            }
            assertEquals(Note.WRITE | Note.LINK, notes.get((long) dfd), "the busy directory: " + notes);
            assertTrue(notes.containsKey((long) qfd), "the untouched file is told it may have changed: " + notes);
            assertEquals(Note.WRITE | Note.ATTRIB, notes.get((long) qfd),
                "no NOTE_DELETE while the file still has its link");
        }
    }
}
