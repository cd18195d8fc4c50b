package io.reactivekq.bench.proc;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whole-process benchmark: N processes (sleep) are killed at once; for each, the latency from
 * its kill(2) to the notification is measured, with EVFILT_PROC NOTE_EXIT on one kevent
 * thread next to ProcessHandle.onExit() for the same processes' kind, alternating rounds in
 * one run. Two kinds of processes:
 * <ul>
 * <li>{@code children}: started by ProcessBuilder. The JDK runs one reaper thread per child
 *     whatever the approach; onExit() completes from it.
 * <li>{@code others}: started by one shell, so not our children. onExit() must start a thread
 *     per process to wait for it; kevent needs none.
 * </ul>
 *
 * <p>Usage: {@code ProcExitLatency [processes=1000] [rounds=3] [children|others]}. Run each kind
 * in its own JVM: the JDK keeps its reaper threads cached for a while, which would let the
 * second kind reuse the first one's threads and hide how many onExit() needs.
 */
public final class ProcExitLatency {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String kind = args.length > 2 ? args[2] : "children";
        if (!kind.equals("children") && !kind.equals("others")) throw new IllegalArgumentException("kind: " + kind);
        boolean children = kind.equals("children");
        System.out.printf("PROC exit latency (%s): %d processes killed at once, %d rounds per approach, %d CPUs%n",
            kind, n, rounds, Runtime.getRuntime().availableProcessors());
        List<long[]> kq = new ArrayList<>();
        List<long[]> onExit = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            kq.add(round(kind, "kevent", n, children, ProcExitLatency::viaKevent));
            onExit.add(round(kind, "onExit", n, children, ProcExitLatency::viaOnExit));
        }
        System.out.printf("%-8s all rounds  kevent %s%n", kind, Percentiles.summary(concat(kq)));
        System.out.printf("%-8s all rounds  onExit %s%n", kind, Percentiles.summary(concat(onExit)));
    }

    interface Approach {
        /** Arms the notification for every process, kills them all, and returns kill-to-notification nanos. */
        long[] run(List<ProcessHandle> procs, boolean children) throws Exception;
    }

    private static long[] round(String kind, String name, int n, boolean children, Approach a) throws Exception {
        Spawned s = children ? spawnChildren(n) : spawnOthers(n);
        try {
            int liveBefore = THREADS.getThreadCount();
            long startedBefore = THREADS.getTotalStartedThreadCount();
            THREADS.resetPeakThreadCount();
            long[] lat = a.run(s.handles, children);
            long started = THREADS.getTotalStartedThreadCount() - startedBefore;
            System.out.printf("%-8s %-7s %s | threads: %d started by the approach, peak %d live (%d before)%n", kind,
                name, Percentiles.summary(lat), started, THREADS.getPeakThreadCount(), liveBefore);
            return lat;
        } finally {
            s.close();
        }
    }

    /** The processes of one round and what has to be cleaned up after it. */
    private record Spawned(List<ProcessHandle> handles, List<Process> owned) {
        void close() throws InterruptedException {
            for (ProcessHandle h : handles) h.destroyForcibly();
            for (Process p : owned) p.destroyForcibly();
            for (Process p : owned) p.waitFor();
        }
    }

    private static Spawned spawnChildren(int n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", "600").redirectInput(new File("/dev/null"))
            .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        List<Process> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ps.add(pb.start());
        Thread.sleep(500); // let the children and the JDK's reaper threads settle
        return new Spawned(ps.stream().map(Process::toHandle).toList(), ps);
    }

    private static Spawned spawnOthers(int n) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c",
            "i=0; while [ $i -lt " + n + " ]; do sleep 600 & echo $!; i=$((i+1)); done; wait")
            .redirectError(Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(sh.getInputStream()));
        List<ProcessHandle> hs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) hs.add(ProcessHandle.of(Long.parseLong(r.readLine())).orElseThrow());
        Thread.sleep(500);
        return new Spawned(hs, List.of(sh));
    }

    private static long[] viaKevent(List<ProcessHandle> procs, boolean children) throws Exception {
        int n = procs.size();
        long[] killed = new long[n];
        long[] seen = new long[n];
        AtomicInteger wrongStatus = new AtomicInteger();
        long[] cpu = new long[1];
        try (KQueue kq = KQueue.open()) {
            KEvent[] changes = new KEvent[n];
            for (int i = 0; i < n; i++) changes[i] = KEvent.of(procs.get(i).pid(), EvFilt.PROC, Ev.ADD, Note.EXIT, 0, i);
            kq.kevent(changes, n, KQueue.NO_EVENTS, 0, 0);
            CountDownLatch ready = new CountDownLatch(1);
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
                        // Children carry their status; the others' is unavailable by design.
                        if (children && WaitStatus.of(out[j]).termSignal() != 9) wrongStatus.incrementAndGet();
                    }
                }
                cpu[0] = THREADS.getCurrentThreadCpuTime() - cpu0;
            });
            ready.await();
            Thread.sleep(50); // the loop is blocked in kevent
            killAll(procs, killed);
            loop.join();
        }
        System.out.printf("  kevent thread CPU for %d exits: %s%n", n, Percentiles.fmt(cpu[0]));
        if (wrongStatus.get() != 0) System.out.println("  WRONG STATUS on " + wrongStatus.get() + " events");
        return latencies(killed, seen);
    }

    private static long[] viaOnExit(List<ProcessHandle> procs, boolean children) throws Exception {
        int n = procs.size();
        long[] killed = new long[n];
        long[] seen = new long[n];
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int idx = i;
            procs.get(i).onExit().thenRun(() -> {
                seen[idx] = System.nanoTime();
                all.countDown();
            });
        }
        Thread.sleep(50);
        killAll(procs, killed);
        all.await(120, TimeUnit.SECONDS);
        return latencies(killed, seen);
    }

    private static void killAll(List<ProcessHandle> procs, long[] killed) {
        for (int i = 0; i < procs.size(); i++) {
            killed[i] = System.nanoTime();
            procs.get(i).destroyForcibly();
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
