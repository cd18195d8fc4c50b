package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of inotify watches fails with ENOSPC naming fs.inotify.max_user_watches, and
 * loses nothing else. The limit is lowered for a child JVM only: it runs in its own user
 * namespace, whose watch limit (user.max_inotify_watches) its root may set, so the machine-wide
 * sysctl and every other process are untouched.
 */
class VnodeWatchLimitTest {
    private static final int LIMIT = 3;

    @TempDir
    Path dir;

    @Test
    void outOfWatchesFailsWithEnospcNamingTheSysctl() throws Exception {
        for (int i = 0; i < LIMIT + 2; i++) Files.writeString(dir.resolve("f" + i), "x");
        ProcessBuilder pb = ChildJvm.command(List.of("unshare", "--user", "--map-root-user", "--", "sh", "-c",
            "echo " + LIMIT + " > /proc/sys/user/max_inotify_watches && exec \"$@\"", "sh"), Main.class, dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("registered " + LIMIT), out);
        assertTrue(out.contains("ENOSPC"), out);
        assertTrue(out.contains("fs.inotify.max_user_watches"), out);
        assertTrue(out.contains("receipt ENOSPC"), out);
        assertTrue(out.contains("earlier knotes still work"), out);
    }

    /** The child: registers one VNODE knote per file until the watches run out. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            File[] files = new File(args[0]).listFiles();
            java.util.Arrays.sort(files);
            try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
                int registered = 0;
                for (File f : files) {
                    int fd = fds.open(f, LinuxSys.O_RDONLY);
                    try {
                        kq.register(KEvent.of(fd, EvFilt.VNODE, Ev.ADD, Note.WRITE, 0, 0));
                        registered++;
                    } catch (KqException e) {
                        System.out.println("registered " + registered);
                        System.out.println(e.getMessage());
                        KEvent[] out = new KEvent[1];
                        kq.kevent(new KEvent[] {KEvent.of(fd, EvFilt.VNODE, Ev.ADD | Ev.RECEIPT, Note.WRITE, 0, 0)},
                            out, Duration.ZERO);
                        System.out.println("receipt " + Errno.nameOf((int) out[0].data()));
                        break;
                    }
                }
                Files.writeString(files[0].toPath(), "more", java.nio.file.StandardOpenOption.APPEND);
                KEvent[] out = new KEvent[1];
                if (kq.kevent(null, out, Duration.ofSeconds(30)) == 1 && out[0].hasNote(Note.WRITE)) {
                    System.out.println("earlier knotes still work");
                }
            }
        }
    }
}
