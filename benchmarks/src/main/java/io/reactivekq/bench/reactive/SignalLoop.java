package io.reactivekq.bench.reactive;

/**
 * An event-loop thread that other threads signal, as the user-event benchmarks compare them:
 * {@link KqUserLoop}, {@link SelectorLoop} and {@link FluxCreateLoop}. Each owns its one loop
 * thread, so a benchmark that opens only one of them has no other idle loop thread in its JVM.
 */
interface SignalLoop extends AutoCloseable {
    /** Any thread: hand the loop one signal. */
    void signal();

    /** Stops the loop thread and frees what it holds. */
    @Override
    void close();
}
