package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** KQueue.refusal: the reason behind an EV_ERROR event, which itself carries only the errno. */
class RefusalReasonTest {
    private static final int SIGUSR2 = 12;

    @Test
    void anEvErrorEventsReasonIsHandedOutOnce() {
        try (KQueue kq = KQueue.open()) {
            KEvent[] out = new KEvent[4];
            int n = kq.kevent(new KEvent[] {
                KEvent.of(SIGUSR2, EvFilt.SIGNAL, Ev.ADD | Ev.RECEIPT),
                KEvent.of(40, EvFilt.SIGNAL, Ev.ADD | Ev.RECEIPT)}, out, Duration.ZERO);
            assertEquals(2, n);
            KqException usr2 = kq.refusal(out[0], "call");
            assertEquals(Errno.EINVAL.number(), usr2.errno());
            assertEquals(SIGUSR2, usr2.ident());
            assertTrue(usr2.getMessage().contains("SIGUSR2 is reserved"), usr2.getMessage());
            assertTrue(kq.refusal(out[1], "call").getMessage().contains("real-time signals"));
            KqException again = kq.refusal(out[0], "kevent EV_ADD EVFILT_SIGNAL");
            assertEquals(Errno.EINVAL.number(), again.errno());
            assertEquals("EINVAL (Invalid argument): kevent EV_ADD EVFILT_SIGNAL, ident 12", again.getMessage(),
                "taken once: then the plain errno, call and ident");
        }
    }
}
