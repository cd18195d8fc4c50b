package io.reactivekq.linux;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads /proc in tests (of every package). */
public final class ProcFs {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private ProcFs() {}

    /** A /proc file's text. (Files.readString trusts the reported size, which is 0 there, and may cut it short.) */
    public static String read(String path) throws IOException {
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

    /** Waits (polling, bounded) until the process runs {@code comm}: it has exec'd. */
    public static void awaitComm(long pid, String comm) throws Exception {
        await(() -> read("/proc/" + pid + "/comm").strip().equals(comm), "pid " + pid + " never ran " + comm);
    }

    /** Waits (polling, bounded) until /proc says the process is a zombie (state Z). */
    public static void awaitZombie(long pid) throws Exception {
        await(() -> statFields("/proc/" + pid + "/stat")[0].equals("Z"), "pid " + pid + " did not become a zombie");
    }

    private interface ProcCheck {
        boolean holds() throws IOException;
    }

    /** Polls {@code check} every 5 ms until it holds; fails with {@code failure} after the patience. */
    private static void await(ProcCheck check, String failure) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (System.nanoTime() - deadline < 0) {
            if (check.holds()) return;
            Thread.sleep(5); // the poll interval; the assertion is the condition above
        }
        throw new AssertionError(failure);
    }

    /** This thread's user + system CPU time, in milliseconds (clock ticks of 10 ms). */
    public static long threadCpuMillis() throws IOException {
        String[] f = statFields("/proc/thread-self/stat");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** The fields of a stat file after the command name, from the state on (field 3 of proc(5) is [0]). */
    private static String[] statFields(String path) throws IOException {
        String stat = read(path);
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }
}
