package io.reactivekq;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import java.time.Duration;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;

/**
 * The Reactive Streams TCK against timer-backed fluxes (TestNG, run on the JUnit Platform by
 * testng-engine). A timer never ends by itself, so a bounded publisher is the timer limited
 * to n elements; the failed publisher is a registration the kqueue refuses (a bad fd).
 */
public class KqFluxTckTest extends PublisherVerification<KEvent> {
    /** Generous: the build machine is shared and loaded. */
    private static final long TIMEOUT_MILLIS = 2_000;

    private final KqPoller poller = KqPoller.create("kq-tck");

    public KqFluxTckTest() {
        super(new TestEnvironment(TIMEOUT_MILLIS, TIMEOUT_MILLIS), TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<KEvent> createPublisher(long elements) {
        // take(n, true) only limits what is requested upstream; it is still our Subscription
        // that sees the request pattern, cancel and the rule 3.9 check.
        return elements >= Long.MAX_VALUE / 2 ? poller.timer(Duration.ofMillis(1))
            : poller.timer(Duration.ofMillis(1)).take(elements, true);
    }

    @Override
    public Publisher<KEvent> createFailedPublisher() {
        return poller.events(EventSpec.of(EvFilt.READ, -1));
    }

    @AfterClass
    public void closePoller() {
        poller.close();
    }
}
