package dev.arcsim.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire benchmarks measure real work: the jobs reach the scaler, the patch reaches the API server, polls park. */
@Timeout(120)
class WireRigTest {

    @Test
    void jobsQueuedOverHttpReachTheScalerAndThePatchReachesTheApiServer() throws Exception {
        try (WireRig rig = new WireRig(true, 1)) {
            assertEquals(20, rig.offerAndWait(20));
            assertEquals(45, rig.offerAndWait(25));
            assertEquals(45, rig.replicasInCluster(), "the EphemeralRunnerSet holds what the listener asked for");
            assertTrue(rig.patches() >= 2);
        }
    }

    @Test
    void withoutKubernetesTheScaleIsOnlyCounted() throws Exception {
        try (WireRig rig = new WireRig(false, 2)) {
            assertEquals(10, rig.offerAndWait(10));
            assertEquals(-1, rig.replicasInCluster());
        }
    }

    @Test
    void parkedPollsAreHeldWhileOtherRequestsAreAnswered() throws Exception {
        try (ParkedPolls fake = new ParkedPolls(60, 50, 3)) {
            assertTrue(fake.client().getScaleSetById(fake.scaleSetId()).isPresent(), "a request is answered with 50 polls parked");
        }
    }
}
