package io.reactivekq.bench.reactive;

/** Used heap as the whole-process memory benchmarks read it. */
final class Heap {
    private Heap() {}

    /** Used heap after full GCs: the least of five readings, so that a late collection does not count. */
    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
