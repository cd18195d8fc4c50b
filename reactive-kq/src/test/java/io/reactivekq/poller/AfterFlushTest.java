package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** afterFlush waits for changes the loop held back, not just for the next kevent call. */
class AfterFlushTest {
    private final CountingKQueue kq = CountingKQueue.open();
    private final Poller poller = Poller.start("kq-after-flush-test", kq, 64);

    @AfterEach
    void close() {
        poller.close();
    }

    private boolean added(long ident) {
        return kq.calls().stream().flatMap(c -> c.changes().stream())
            .anyMatch(ch -> ch.ident() == ident && ch.filter() == EvFilt.TIMER && ch.has(Ev.ADD));
    }

    @Test
    void aBarrierQueuedWithAHeldBackRegistrationRunsAfterItsEvAdd() throws Exception {
        long first = poller.nextIdent();
        long second = poller.nextIdent();
        CompletableFuture<Boolean> secondAddedFirst = new CompletableFuture<>();
        // Everything is queued from the loop's own thread, so that each step lands in a known turn:
        // turn 1 applies the first EV_ADD (with its receipt); its barrier queues the second
        // registration, which turn 2 holds back (the turn after receipts collects events first).
        poller.afterFlush(() -> {
            poller.subscribe(Interest.of(EvFilt.TIMER, first, 0, Note.SECONDS, 3600, 0), new Subs(0));
            poller.afterFlush(() -> {
                poller.subscribe(Interest.of(EvFilt.TIMER, second, 0, Note.SECONDS, 3600, 0), new Subs(0));
                poller.afterFlush(() -> secondAddedFirst.complete(added(second)));
                return null;
            });
            return null;
        }).get(20, TimeUnit.SECONDS);
        assertTrue(secondAddedFirst.get(20, TimeUnit.SECONDS), "the barrier ran before the EV_ADD it followed: "
            + kq.calls());
    }
}
