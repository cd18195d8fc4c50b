package io.reactivekq.samples;

import io.reactivekq.KqPoller;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Prints the kevents of a few live sources, first through the kevent API (a periodic timer, a
 * user event triggered from another thread, and a change that fails on purpose, reported as
 * an EV_ERROR receipt), then as Reactor streams (a file being written and deleted, and a child
 * process exiting).
 */
public final class Demo {
    private static final long TIMER_ID = 1;
    private static final long USER_ID = 2;

    public static void main(String[] args) throws Exception {
        keventApi();
        reactiveApi();
    }

    private static void keventApi() throws InterruptedException {
        System.out.println("== kevent API");
        try (KQueue kq = KQueue.open()) {
            System.out.println("backend: " + kq.backend());
            KEvent[] events = new KEvent[8];
            KEvent[] changes = {
                KEvent.of(TIMER_ID, EvFilt.TIMER, Ev.ADD, Note.MSECONDS, 150, 0),
                KEvent.of(USER_ID, EvFilt.USER, Ev.ADD | Ev.CLEAR),
                KEvent.of(Integer.MAX_VALUE, EvFilt.READ, Ev.ADD | Ev.RECEIPT),
            };
            int n = kq.kevent(changes, events, Duration.ZERO);
            for (int i = 0; i < n; i++) System.out.println("receipt: " + events[i]);

            Thread trigger = Thread.ofPlatform().name("demo-trigger").start(() -> {
                for (int i = 1; i <= 3; i++) {
                    sleepQuietly(200);
                    kq.register(KEvent.of(USER_ID, EvFilt.USER, 0, Note.TRIGGER | Note.FFOR | i, i * 100, 0));
                }
            });

            int timerTicks = 0;
            int userEvents = 0;
            while (timerTicks < 5 || userEvents < 3) {
                n = kq.kevent(null, events, Duration.ofSeconds(5));
                if (n == 0) break;
                for (int i = 0; i < n; i++) {
                    KEvent e = events[i];
                    System.out.println("event:   " + e);
                    if (e.filter() == EvFilt.TIMER) timerTicks++;
                    if (e.filter() == EvFilt.USER) userEvents++;
                }
            }
            trigger.join();
            System.out.printf("done: %d timer events, %d user events%n", timerTicks, userEvents);
        }
    }

    private static void reactiveApi() throws Exception {
        System.out.println("== Flux<KEvent>");
        Path file = Files.createTempFile("reactive-kq-demo", ".txt");
        try (KqPoller poller = KqPoller.create("demo-poller")) {
            // The file: each append is NOTE_WRITE|NOTE_EXTEND; deleting it ends the stream.
            Flux<KEvent> fileEvents = poller.vnode(file)
                .doOnSubscribe(s -> System.out.println("watching " + file))
                .doOnNext(e -> System.out.println("vnode:   " + e))
                .doOnComplete(() -> System.out.println("vnode:   complete (file deleted)"));
            Thread writer = Thread.ofPlatform().name("demo-writer").unstarted(() -> {
                try {
                    for (String line : List.of("one\n", "two\n")) {
                        sleepQuietly(150);
                        Files.writeString(file, line, StandardOpenOption.APPEND);
                    }
                    sleepQuietly(150);
                    Files.delete(file);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            fileEvents.doOnSubscribe(s -> writer.start()).blockLast(Duration.ofSeconds(10));
            writer.join();

            // A child process: one NOTE_EXIT with its wait status, then complete.
            Process child = new ProcessBuilder("sh", "-c", "sleep 0.2; exit 7").start();
            KEvent exit = poller.process(child).blockLast(Duration.ofSeconds(10));
            System.out.println("proc:    " + exit + " -> " + WaitStatus.of(exit));
            System.out.println("proc:    Process.waitFor() still says " + child.waitFor());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
