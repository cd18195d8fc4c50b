package io.reactivekq.bench.reactive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;

/**
 * A thread blocked in {@code Selector.select()} with no keys: a signal is {@code wakeup()}
 * (a wakeup made while one is already pending is absorbed by it); the loop runs
 * {@code afterSelect} each time {@code select()} returns.
 */
final class SelectorLoop implements SignalLoop {
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;

    SelectorLoop(Runnable afterSelect) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(() -> {
            try {
                while (running) {
                    selector.select();
                    afterSelect.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "selector-loop");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void signal() {
        selector.wakeup();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
