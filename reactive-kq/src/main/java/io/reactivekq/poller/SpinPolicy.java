package io.reactivekq.poller;

/**
 * Whether the loop, about to sleep right after delivering events, should first watch its op
 * queue for a moment. A subscriber on another thread often answers what it was handed (a
 * request, a user trigger) within a microsecond, while putting the loop to sleep and waking
 * it again costs a thread wake-up: tens of microseconds on a virtual machine whose idle vCPU
 * halts. A short spin turns such a hand-off into a queue poll.
 *
 * <p>A spin that sees nothing arrive is CPU spent for nothing, so the policy adapts, as the
 * JDK's adaptive spinning does: each spin that ended with an op earns a credit (up to
 * {@link #MAX_CREDIT}), each that ran out loses one; without credit the loop sleeps at once
 * and spins again only as a probe every {@link #PROBE_EVERY} sleeps. A loop fed by the kernel
 * alone (sockets, timers) therefore spends at most one spin per {@value #PROBE_EVERY} sleeps.
 * Poller thread only.
 */
final class SpinPolicy {
    /** The spin where the process may run on more than one CPU, in nanoseconds. */
    static final long MULTI_CPU_SPIN_NANOS = 5_000L;
    /**
     * The default spin: {@code -Dreactivekq.poller.spinNanos} (0 turns spinning off), else
     * {@link #defaultFor} the CPUs this process may use.
     */
    static final long DEFAULT_SPIN_NANOS =
        Long.getLong("reactivekq.poller.spinNanos", defaultFor(Runtime.getRuntime().availableProcessors()));
    static final int MAX_CREDIT = 4;
    static final int PROBE_EVERY = 64;

    private final long spinNanos;
    private int credit = 1;
    private int sleepsWithoutSpin;
    // Written by the loop only; volatile so that diagnostics may read them from any thread.
    private volatile long spins;
    private volatile long hits;

    /**
     * No spin with one CPU (a container limited to one, a process pinned to one): the thread
     * that would answer cannot run while the loop spins on the only CPU, so every spin would
     * run out and delay that thread by its length.
     */
    static long defaultFor(int cpus) {
        return cpus > 1 ? MULTI_CPU_SPIN_NANOS : 0;
    }

    SpinPolicy(long spinNanos) {
        this.spinNanos = Math.max(0, spinNanos);
    }

    long spinNanos() {
        return spinNanos;
    }

    /** True when the loop should spin before this sleep. */
    boolean shouldSpin() {
        if (spinNanos == 0) return false;
        if (credit > 0) return true;
        if (++sleepsWithoutSpin < PROBE_EVERY) return false;
        sleepsWithoutSpin = 0;
        return true;
    }

    /** What the spin saw: an op arrived (true) or the time ran out. */
    void record(boolean opArrived) {
        spins++;
        if (opArrived) {
            hits++;
            credit = Math.min(credit + 1, MAX_CREDIT);
        } else if (credit > 0) {
            credit--;
        }
    }

    /** Diagnostic: spins made. */
    long spins() {
        return spins;
    }

    /** Diagnostic: spins that ended with an op instead of a sleep. */
    long hits() {
        return hits;
    }
}
