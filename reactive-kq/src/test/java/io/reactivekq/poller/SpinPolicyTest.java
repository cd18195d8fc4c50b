package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The adaptive spin-before-sleep decision, step by step. */
class SpinPolicyTest {
    @Test
    void theDefaultSpinsOnlyWithMoreThanOneCpu() {
        assertEquals(0, SpinPolicy.defaultFor(1), "one CPU: the answering thread cannot run during a spin");
        assertEquals(SpinPolicy.MULTI_CPU_SPIN_NANOS, SpinPolicy.defaultFor(2));
        assertEquals(SpinPolicy.MULTI_CPU_SPIN_NANOS, SpinPolicy.defaultFor(64));
        assertFalse(new SpinPolicy(SpinPolicy.defaultFor(1)).shouldSpin());
    }

    @Test
    void zeroNeverSpins() {
        SpinPolicy p = new SpinPolicy(0);
        for (int i = 0; i < 1_000; i++) assertFalse(p.shouldSpin());
        assertEquals(0, p.spins());
    }

    @Test
    void aMissWithoutCreditStopsSpinningUntilTheProbe() {
        SpinPolicy p = new SpinPolicy(5_000);
        assertTrue(p.shouldSpin(), "willing at first");
        p.record(false);
        for (int i = 1; i < SpinPolicy.PROBE_EVERY; i++) assertFalse(p.shouldSpin(), "sleep " + i + " sleeps at once");
        assertTrue(p.shouldSpin(), "every " + SpinPolicy.PROBE_EVERY + "th sleep probes");
        p.record(false);
        assertFalse(p.shouldSpin(), "the probe missed: back to sleeping at once");
        assertEquals(2, p.spins());
        assertEquals(0, p.hits());
    }

    @Test
    void hitsEarnCreditUpToTheCapAndEachMissSpendsOne() {
        SpinPolicy p = new SpinPolicy(5_000);
        for (int i = 0; i < 10; i++) {
            assertTrue(p.shouldSpin());
            p.record(true);
        }
        for (int i = 0; i < SpinPolicy.MAX_CREDIT; i++) {
            assertTrue(p.shouldSpin(), "credit left after " + i + " misses");
            p.record(false);
        }
        assertFalse(p.shouldSpin(), "the capped credit is spent after " + SpinPolicy.MAX_CREDIT + " misses");
        assertEquals(10, p.hits());
        assertEquals(10 + SpinPolicy.MAX_CREDIT, p.spins());
    }

    @Test
    void aProbeThatHitsRestoresSpinning() {
        SpinPolicy p = new SpinPolicy(5_000);
        p.shouldSpin();
        p.record(false);
        for (int i = 1; i < SpinPolicy.PROBE_EVERY; i++) p.shouldSpin();
        assertTrue(p.shouldSpin());
        p.record(true);
        assertTrue(p.shouldSpin(), "a hit earns a credit: the next sleep spins again");
    }
}
