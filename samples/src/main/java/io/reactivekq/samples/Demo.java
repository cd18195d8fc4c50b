package io.reactivekq.samples;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.time.Duration;

/**
 * Prints the kevents of a few live sources through the kevent API: a periodic timer, a user
 * event triggered from another thread, and a change that fails on purpose (a closed fd),
 * reported as an EV_ERROR receipt rather than an exception.
 */
public final class Demo {
    private static final long TIMER_ID = 1;
    private static final long USER_ID = 2;

    public static void main(String[] args) throws Exception {
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

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
