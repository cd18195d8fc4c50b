package io.reactivekq.bench.reactive;

import io.reactivekq.KqPoller;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;

/**
 * What the poller's spin before sleeping costs a loop fed only by the kernel: CPU time of the
 * poller thread while a 1 ms periodic timer fires for a while, and how many expirations
 * arrived. Run once with the default spin and once with {@code -Dreactivekq.poller.spinNanos=0};
 * the spin's adaptive policy should make the two alike.
 *
 * <p>Usage: {@code SpinCpuCost [seconds]} (default 10).
 */
public final class SpinCpuCost {
    private SpinCpuCost() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        String name = "kq-spin-cpu";
        try (KqPoller poller = KqPoller.create(name)) {
            AtomicLong expirations = new AtomicLong();
            Disposable sub = poller.timer(Duration.ofMillis(1)).subscribe(ev -> expirations.addAndGet(ev.data()));
            Thread.sleep(1_000); // warm-up
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long tid = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElseThrow().threadId();
            long cpu0 = mx.getThreadCpuTime(tid);
            long n0 = expirations.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1_000);
            long cpu = mx.getThreadCpuTime(tid) - cpu0;
            long n = expirations.get() - n0;
            long wall = System.nanoTime() - t0;
            System.out.printf("spinNanos=%s: %,d expirations in %.1f s, poller thread CPU %.1f ms (%.2f %% of a core, %.1f µs per expiration)%n",
                System.getProperty("reactivekq.poller.spinNanos", "default (5000)"), n, wall / 1e9, cpu / 1e6,
                100.0 * cpu / wall, cpu / 1e3 / Math.max(1, n));
            sub.dispose();
        }
    }
}
