package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void pipeReadAndUserAndTimer() throws Exception {
        try (KQueue kq = KQueue.open(); TestFds fds = new TestFds()) {
            int[] p = fds.pipe();
            KEvent[] out = new KEvent[8];
            kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD));
            assertEquals(0, kq.kevent(null, out, Duration.ZERO));
            TestFds.write(p[1], "hello");
            int n = kq.kevent(null, out, Duration.ofSeconds(5));
            assertEquals(1, n);
            System.out.println(out[0]);
            assertEquals(5, out[0].data());
            kq.register(KEvent.of(7, EvFilt.USER, Ev.ADD | Ev.CLEAR));
            kq.register(KEvent.of(7, EvFilt.USER, 0, Note.TRIGGER | Note.FFOR | 3, 42, 0));
            kq.register(KEvent.of(p[0], EvFilt.READ, Ev.DELETE));
            n = kq.kevent(null, out, Duration.ofSeconds(5));
            System.out.println(out[0]);
            assertEquals(1, n);
            kq.register(KEvent.of(1, EvFilt.TIMER, Ev.ADD | Ev.ONESHOT, 0, 20, 0));
            n = kq.kevent(null, out, Duration.ofSeconds(5));
            System.out.println(out[0]);
            assertEquals(1, n);
        }
    }
}
