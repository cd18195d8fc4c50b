package io.reactivekq.bench.proc;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whole-process benchmark: N ProcessBuilder children (sleep) are killed at once; for each
 * child, the latency from its kill(2) to the notification is measured, with EVFILT_PROC
 * NOTE_EXIT on one kevent thread next to ProcessHandle.onExit() for the same kind of children,
 * alternating rounds in one run.
 *
 * <p>Usage: {@code ProcExitLatency [children=1000] [rounds=3]}
 */
public final class ProcExitLatency {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("PROC exit latency: %d children killed at once, %d rounds per approach, %d CPUs%n", n, rounds,
            Runtime.getRuntime().availableProcessors());
        List<long[]> kq = new ArrayList<>();
        List<long[]> onExit = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            kq.add(round("kevent", n, ProcExitLatency::viaKevent));
            onExit.add(round("onExit", n, ProcExitLatency::viaOnExit));
        }
        System.out.println("all rounds  kevent " + Percentiles.summary(concat(kq)));
        System.out.println("all rounds  onExit " + Percentiles.summary(concat(onExit)));
    }

    interface Approach {
        /** Arms the notification for every child, kills them all, and returns kill-to-notification nanos. */
        long[] run(List<Process> children) throws Exception;
    }

    private static long[] round(String name, int n, Approach a) throws Exception {
        List<Process> children = spawn(n);
        try {
            int liveBefore = THREADS.getThreadCount();
            long startedBefore = THREADS.getTotalStartedThreadCount();
            THREADS.resetPeakThreadCount();
            long[] lat = a.run(children);
            long started = THREADS.getTotalStartedThreadCount() - startedBefore;
            System.out.printf("%-7s %s | threads: %d started by the approach, peak %d live (%d before, of which %d "
                + "are the JDK's per-child reapers)%n", name, Percentiles.summary(lat), started,
                THREADS.getPeakThreadCount(), liveBefore, n);
            return lat;
        } finally {
            for (Process p : children) p.destroyForcibly();
            for (Process p : children) p.waitFor();
        }
    }

    private static List<Process> spawn(int n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", "600").redirectInput(new File("/dev/null"))
            .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        List<Process> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ps.add(pb.start());
        Thread.sleep(500); // let the children and the JDK's reaper threads settle
        return ps;
    }

    private static long[] viaKevent(List<Process> children) throws Exception {
        int n = children.size();
        long[] killed = new long[n];
        long[] seen = new long[n];
        AtomicInteger wrongStatus = new AtomicInteger();
        try (KQueue kq = KQueue.open()) {
            KEvent[] changes = new KEvent[n];
            for (int i = 0; i < n; i++) changes[i] = KEvent.of(children.get(i).pid(), EvFilt.PROC, Ev.ADD, Note.EXIT, 0, i);
            kq.kevent(changes, n, KQueue.NO_EVENTS, 0, 0);
            CountDownLatch ready = new CountDownLatch(1);
            long[] cpu = new long[1];
            Thread loop = Thread.ofPlatform().name("kevent").start(() -> {
                KEvent[] out = new KEvent[256];
                int got = 0;
                ready.countDown();
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                while (got < n) {
                    int k = kq.kevent(KQueue.NO_EVENTS, 0, out, out.length, TimeUnit.SECONDS.toNanos(60));
                    if (k == 0) break;
                    long now = System.nanoTime();
                    for (int j = 0; j < k; j++) {
                        int i = (int) out[j].udata();
                        if (seen[i] == 0) got++;
                        seen[i] = now;
                        if (WaitStatus.of(out[j]).termSignal() != 9) wrongStatus.incrementAndGet();
                    }
                }
                cpu[0] = THREADS.getCurrentThreadCpuTime() - cpu0;
            });
            ready.await();
            Thread.sleep(50); // the loop is blocked in kevent
            killAll(children, killed);
            loop.join();
            System.out.printf("  kevent thread CPU for %d exits: %s%n", n, Percentiles.fmt(cpu[0]));
        }
        if (wrongStatus.get() != 0) System.out.println("  WRONG STATUS on " + wrongStatus.get() + " events");
        return latencies(killed, seen);
    }

    private static long[] viaOnExit(List<Process> children) throws Exception {
        int n = children.size();
        long[] killed = new long[n];
        long[] seen = new long[n];
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int idx = i;
            children.get(i).toHandle().onExit().thenRun(() -> {
                seen[idx] = System.nanoTime();
                all.countDown();
            });
        }
        killAll(children, killed);
        all.await(120, TimeUnit.SECONDS);
        return latencies(killed, seen);
    }

    private static void killAll(List<Process> children, long[] killed) {
        for (int i = 0; i < children.size(); i++) {
            killed[i] = System.nanoTime();
            children.get(i).toHandle().destroyForcibly();
        }
    }

    private static long[] latencies(long[] killed, long[] seen) {
        long[] lat = new long[killed.length];
        int missing = 0;
        for (int i = 0; i < lat.length; i++) {
            if (seen[i] == 0) missing++;
            lat[i] = seen[i] == 0 ? Long.MAX_VALUE : seen[i] - killed[i];
        }
        if (missing > 0) System.out.println("  MISSING " + missing + " notifications");
        return lat;
    }

    private static long[] concat(List<long[]> parts) {
        long[] all = new long[parts.stream().mapToInt(p -> p.length).sum()];
        int o = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }
}
