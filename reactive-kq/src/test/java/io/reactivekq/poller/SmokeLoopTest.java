package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class SmokeLoopTest {
    @Test
    void timerTicks() {
        CountingKQueue kq = CountingKQueue.open();
        try (Poller p = Poller.start("kq-test", kq, 64)) {
            Flux<KEvent> f = Flux.from(s -> p.subscribe(Interest.of(EvFilt.TIMER, 1, 0, Note.MSECONDS, 5, 0),
                reactor.core.publisher.Operators.toCoreSubscriber(s)));
            StepVerifier.create(f.take(3)).expectNextCount(3).expectComplete().verify(Duration.ofSeconds(10));
            assertEquals(0, p.knoteCount().join());
        }
    }
}
