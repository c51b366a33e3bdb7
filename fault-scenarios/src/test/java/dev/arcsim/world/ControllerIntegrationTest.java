package dev.arcsim.world;

import dev.arcsim.fake.state.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference controller on the embedded API server, with the simulated kubelet and the fake on loopback. */
class ControllerIntegrationTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private EmbeddedWorld world;

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    private long completed() {
        return world.fake.state().snapshot().jobs().stream().filter(j -> j.state() == JobState.COMPLETED).count();
    }

    @Test
    void queuedJobsRunOnRunnersTheControllerCreatesAndTheRunnersGoAway() {
        world = new EmbeddedWorld(EmbeddedWorld.Options.defaults());
        world.createRunnerSet("arc-runner-set", 0, 10);
        await().atMost(BOUND).until(() -> world.fake.state().snapshot().sessions().size() == 1);
        world.queueJobs("arc-runner-set", 3, 1);
        await().atMost(BOUND).until(() -> completed() == 3);
        await().atMost(BOUND).until(() -> world.runners() == 0);
        assertEquals(0, world.fake.state().snapshot().runners().size(), "every runner deregistered");
    }
}
