package io.reactivekq;

import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK against timer-backed fluxes (TestNG, run on the JUnit Platform by
 * testng-engine). The TCK's subscribers must meet the library's own Subscription, not Reactor's:
 * a plain Subscriber handed to {@code Flux.subscribe} is wrapped in Reactor's strict subscriber,
 * which checks rule 3.9 itself, and {@code take(n)} validates requests too. So each publisher
 * is {@link FirstEvents}: a relay that passes every request and cancel through unchanged. A
 * timer never ends by itself, so a bounded publisher completes after its n events; the failed
 * publisher is a registration the kqueue refuses (a bad fd).
 */
public class KqFluxTckTest extends PublisherVerification<KEvent> {
    /** Generous: the build machine is shared and loaded. */
    private static final long TIMEOUT_MILLIS = 2_000;

    private final KqPoller poller = KqPoller.create("kq-tck");
    /** A signal the library sent after the relay had cancelled it on the poller thread: a bug the relay must not hide. */
    private final AtomicReference<String> lateSignal = new AtomicReference<>();

    public KqFluxTckTest() {
        super(new TestEnvironment(TIMEOUT_MILLIS, TIMEOUT_MILLIS), TIMEOUT_MILLIS);
    }

    @Override
    public Publisher<KEvent> createPublisher(long elements) {
        return new FirstEvents(poller.timer(Duration.ofMillis(1)), elements, lateSignal);
    }

    @Override
    public Publisher<KEvent> createFailedPublisher() {
        return new FirstEvents(poller.events(EventSpec.of(EvFilt.READ, -1)), Long.MAX_VALUE, lateSignal);
    }

    @AfterClass
    public void closePollerAndCheckNoLateSignal() {
        poller.close();
        if (lateSignal.get() != null) throw new AssertionError(lateSignal.get());
    }

    /**
     * The first {@code n} events of a source ({@code Long.MAX_VALUE}: all of them), then
     * onComplete. Requests and cancels go to the source's Subscription as they are, a
     * non-positive request included; the relay only counts and ends. It cancels the source on
     * the poller thread (inside onNext), after which the source must send nothing more, as after
     * its own terminal signal; a late signal is recorded in {@code late} for the class to fail
     * on, not silently dropped.
     */
    private record FirstEvents(Flux<KEvent> source, long n, AtomicReference<String> late) implements Publisher<KEvent> {
        @Override
        public void subscribe(Subscriber<? super KEvent> s) {
            Objects.requireNonNull(s, "rule 1.9: the subscriber must not be null");
            // A CoreSubscriber: Reactor hands it the library's Subscription without a wrapper.
            source.subscribe(new Relay(s, n, late));
        }
    }

    private static final class Relay implements CoreSubscriber<KEvent>, Subscription {
        private final Subscriber<? super KEvent> downstream;
        private final AtomicReference<String> late;
        /** Events still to pass; touched only by the thread that signals (one at a time, rule 1.3). */
        private long left;
        private Subscription upstream;
        private boolean done;

        Relay(Subscriber<? super KEvent> downstream, long n, AtomicReference<String> late) {
            this.downstream = downstream;
            this.left = n;
            this.late = late;
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            downstream.onSubscribe(this);
            if (left == 0) end();
        }

        @Override
        public void onNext(KEvent ev) {
            if (done) {
                late.compareAndSet(null, "onNext after the relay's end: " + ev);
                return;
            }
            downstream.onNext(ev);
            if (left != Long.MAX_VALUE && --left == 0) end();
        }

        private void end() {
            if (done) return;
            done = true;
            upstream.cancel();
            downstream.onComplete();
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                late.compareAndSet(null, "onError after the relay's end: " + t);
                return;
            }
            done = true;
            downstream.onError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                late.compareAndSet(null, "onComplete after the relay's end");
                return;
            }
            done = true;
            downstream.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }
    }
}
