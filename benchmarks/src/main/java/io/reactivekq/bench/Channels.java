package io.reactivekq.bench;

import java.nio.channels.SelectableChannel;

/**
 * The fd behind a JDK channel, so that the kevent and the Selector variants of a benchmark
 * drive the very same pipe or socket. Needs {@code --add-exports java.base/sun.nio.ch}
 * (set in the benchmarks jar's manifest and in every JMH fork).
 */
public final class Channels {
    private Channels() {}

    public static int fd(SelectableChannel ch) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(ch);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }
}
