package dev.arcsim.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The herd rig measures what it says: every listener back, the requests of the outage counted, runs replayable. */
class HerdRigTest {

    @Test
    void everyListenerComesBackAndTheOutageIsCounted() throws Exception {
        HerdRig.Outcome o = HerdRig.run(Policies.named("resilient"), 10, Duration.ofMinutes(2), 7);
        assertNotNull(o.lastBackSeconds(), "every listener polled again after the outage");
        assertTrue(o.lastBackSeconds() >= o.medianBackSeconds());
        assertTrue(o.callsDuringOutage() >= 10, "each listener tried at least once while the service was away: " + o);
        assertTrue(o.peakPerSecond() >= 1, o.toString());
        assertEquals(0, o.restarts(), "resilient never exits on a transient fault");
        assertEquals(o, HerdRig.run(Policies.named("resilient"), 10, Duration.ofMinutes(2), 7), "the same seed, the same herd");
    }

    @Test
    void arcsListenerExitsAndIsRestartedThroughAnOutage() throws Exception {
        HerdRig.Outcome o = HerdRig.run(Policies.named("arc-legacy"), 10, Duration.ofMinutes(2), 7);
        assertTrue(o.restarts() >= 10, "each of ARC's listeners gave up in two minutes of resets and was restarted: " + o);
        assertNotNull(o.lastBackSeconds());
    }
}
