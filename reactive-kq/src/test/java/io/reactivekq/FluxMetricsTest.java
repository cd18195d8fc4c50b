package io.reactivekq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.observability.micrometer.Micrometer;
import reactor.test.StepVerifier;

/** Reactor's Micrometer metrics through a reactive-kq flux: named by Flux.name(), tagged by tag(). */
class FluxMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KqPoller poller = KqPoller.create("kq-metrics-test");

    @AfterEach
    void close() {
        poller.close();
        registry.close();
    }

    @Test
    void aNamedFluxIsMeteredUnderItsNameWithItsTags() {
        StepVerifier.create(poller.timer(Duration.ofMillis(1)).name("ticks").tag("source", "kq")
                .tap(Micrometer.metrics(registry)).take(3))
            .expectNextCount(3)
            .expectComplete()
            .verify(WAIT);

        Timer onNext = registry.find("ticks.onNext.delay").tag("source", "kq").timer();
        assertNotNull(onNext, "no ticks.onNext.delay timer tagged source=kq among " + meterNames());
        assertEquals(3, onNext.count(), "one onNext delay per event");
        assertNotNull(registry.find("ticks.subscribed").tag("source", "kq").counter(), meterNames().toString());
    }

    @Test
    void anUnnamedFluxIsMeteredUnderReactorsDefaultNameNotItsIdent() {
        StepVerifier.create(poller.timer(Duration.ofMillis(1)).map(ev -> ev.data())
                .tap(Micrometer.metrics(registry)).take(2))
            .expectNextCount(2)
            .expectComplete()
            .verify(WAIT);

        List<String> names = meterNames();
        assertFalse(names.isEmpty(), "the metrics listener registered meters");
        // One meter name per registration (an fd, a pid, a path) would be unbounded cardinality.
        assertTrue(names.stream().allMatch(n -> n.startsWith("reactor.")), "default meter names: " + names);
    }

    private List<String> meterNames() {
        return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).distinct().sorted().toList();
    }
}
