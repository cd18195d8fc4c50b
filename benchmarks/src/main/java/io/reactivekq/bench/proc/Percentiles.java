package io.reactivekq.bench.proc;

import java.util.Arrays;

/** p50/p99/max of a sample of nanosecond latencies, printed in one line. */
public final class Percentiles {
    private Percentiles() {}

    public static String summary(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("n=%d p50=%s p99=%s max=%s", s.length, fmt(at(s, 0.50)), fmt(at(s, 0.99)),
            fmt(s[s.length - 1]));
    }

    public static long at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    public static String fmt(long nanos) {
        if (nanos >= 10_000_000L) return String.format("%.1f ms", nanos / 1e6);
        if (nanos >= 10_000L) return String.format("%.0f µs", nanos / 1e3);
        return String.format("%.1f µs", nanos / 1e3);
    }
}
