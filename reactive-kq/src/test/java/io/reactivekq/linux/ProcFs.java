package io.reactivekq.linux;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc in tests. */
final class ProcFs {
    private ProcFs() {}

    /** A /proc file's text. (Files.readString trusts the reported size, which is 0 there, and may cut it short.) */
    static String read(String path) throws IOException {
        return String.join("\n", Files.readAllLines(Path.of(path)));
    }

    /**
     * The fds of this process that a kqueue could own: epoll, eventfd, inotify, pidfd (anon
     * inodes), sockets (netlink) and terminals. A leak check counts these rather than all fds:
     * the JDK closes the pipes of exited child processes asynchronously, so the total drifts.
     */
    static int kernelObjectFds() {
        int n = 0;
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) return -1;
        for (File fd : fds) {
            try {
                String t = Files.readSymbolicLink(fd.toPath()).toString();
                if (t.startsWith("anon_inode:") || t.startsWith("socket:") || t.startsWith("/dev/pts/")) n++;
            } catch (IOException e) {
                // closed meanwhile (the listing's own fd, or a JDK pipe)
            }
        }
        return n;
    }
}
