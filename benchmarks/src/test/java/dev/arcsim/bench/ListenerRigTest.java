package dev.arcsim.bench;

import dev.arcsim.fake.state.JobState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The throughput benchmark's operation does what its score claims: the offered jobs are acquired and reach the scaler. */
class ListenerRigTest {

    @Test
    void fiftyOfferedJobsAreAcquiredAndScaledFor() throws Exception {
        try (ListenerRig rig = new ListenerRig(1)) {
            assertEquals(0, rig.replicas());
            assertEquals(50, rig.offerAndWait(50));
            var counts = rig.fake().state().counts();
            assertEquals(50, counts.jobs(JobState.ASSIGNED), "acquired by the listener, assigned to its scale set");
            assertEquals(0, counts.jobs(JobState.AVAILABLE));
            long patches = rig.patches();
            assertTrue(patches >= 1);
            assertEquals(100, rig.offerAndWait(50), "a second message adds to what the listener asks for");
            assertEquals(100, rig.fake().state().counts().jobs(JobState.ASSIGNED));
            assertTrue(rig.patches() > patches);
        }
    }
}
