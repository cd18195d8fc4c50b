package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.sys.LinuxSys;
import java.io.File;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** fds for tests: pipes, socket pairs and files made with the sys layer, closed by {@link #close()}. */
public final class TestFds implements AutoCloseable {
    private final List<Integer> open = new ArrayList<>();

    /** A pipe: [0] read end, [1] write end, both non-blocking and close-on-exec. */
    int[] pipe() {
        int[] fds = new int[2];
        assertEquals(0, LinuxSys.pipe2(fds, LinuxSys.O_CLOEXEC | LinuxSys.O_NONBLOCK));
        open.add(fds[0]);
        open.add(fds[1]);
        return fds;
    }

    /** A connected AF_UNIX stream socket pair. */
    int[] socketPair() {
        int[] fds = new int[2];
        assertEquals(0, LinuxSys.socketpair(LinuxSys.AF_UNIX,
            LinuxSys.SOCK_STREAM | LinuxSys.SOCK_CLOEXEC | LinuxSys.SOCK_NONBLOCK, 0, fds));
        open.add(fds[0]);
        open.add(fds[1]);
        return fds;
    }

    /** Opens a file read-only (close-on-exec). */
    int open(File f, int flags) {
        int fd = LinuxSys.open(f.getAbsolutePath(), flags | LinuxSys.O_CLOEXEC, 0644);
        assertTrue(fd >= 0, "open " + f + ": " + fd);
        open.add(fd);
        return fd;
    }

    /** Closes an fd now (and not again at the end). */
    void closeNow(int fd) {
        open.remove(Integer.valueOf(fd));
        assertEquals(0, LinuxSys.close(fd));
    }

    static void write(int fd, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(b.length, LinuxSys.write(fd, b, 0, b.length));
    }

    static void write(int fd, int bytes) {
        byte[] b = new byte[Math.min(bytes, 512)];
        int left = bytes;
        while (left > 0) {
            long n = LinuxSys.write(fd, b, 0, Math.min(left, b.length));
            assertTrue(n > 0, "write: " + n);
            left -= (int) n;
        }
    }

    /** Writes to a non-blocking fd until it refuses; the bytes written. */
    static long fill(int fd) {
        byte[] b = new byte[512];
        long total = 0;
        while (true) {
            long n = LinuxSys.write(fd, b, 0, b.length);
            if (n <= 0) return total;
            total += n;
        }
    }

    static int read(int fd, int max) {
        byte[] b = new byte[512];
        int total = 0;
        while (total < max) {
            long n = LinuxSys.read(fd, b, 0, Math.min(b.length, max - total));
            if (n <= 0) break;
            total += (int) n;
        }
        return total;
    }

    /** The fd number of a JDK channel (tests only: reads sun.nio.ch, exported to this module in surefire). */
    static int fdOf(SelectableChannel ch) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(ch);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the channel's fd", e);
        }
    }

    /** How many fds this process has open now. */
    public static int openFdCount() {
        String[] list = new File("/proc/self/fd").list();
        return list == null ? -1 : list.length;
    }

    @Override
    public void close() throws IOException {
        for (int fd : open) LinuxSys.close(fd);
        open.clear();
    }
}
