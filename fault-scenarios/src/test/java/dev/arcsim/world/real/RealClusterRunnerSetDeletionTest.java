package dev.arcsim.world.real;

import dev.arcsim.check.NoRunnerLeak;
import dev.arcsim.check.Verdict;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.reconcile.Labels;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.world.ClusterKind;
import dev.arcsim.world.EmbeddedWorld;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak REAL-CLUSTER.md found, played where it was found: on a real API server whose garbage collector removes a
 * deleted runner set's runners, pods and Secrets within some 70 ms. Three rounds in one cluster, each deleting a
 * runner set whose runners are registered and busy beside a set that stays; after each, the service holds no runner,
 * session or scale set of the deleted set.
 */
class RealClusterRunnerSetDeletionTest {

    private static final Duration BOUND = Duration.ofSeconds(90);

    @Test
    void deletingBusyRunnerSetsLeavesNothingRegisteredWithGarbageCollectionOn() {
        RealTierTests.require();
        try (EmbeddedWorld world = new EmbeddedWorld(EmbeddedWorld.Options.defaults().withCluster(ClusterKind.REAL))) {
            world.createRunnerSet("kept", 1, 4);
            for (int round = 1; round <= 3; round++) {
                String doomed = "doomed-" + round;
                world.createRunnerSet(doomed, 2, 6);
                world.queueJobs(doomed, 4, 10);
                world.queueJobs("kept", 1, 2);
                await().atMost(BOUND).until(() -> world.fake.state().snapshot().jobs().stream()
                        .filter(j -> j.state() == JobState.STARTED).count() >= 2);
                long id = scaleSetId(world, doomed);
                assertTrue(world.fake.state().snapshot().runners().stream().filter(r -> r.scaleSetId() == id).count() >= 2,
                        "round " + round + ": runners registered and busy before the delete");

                world.cluster.delete(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, doomed);
                await().atMost(BOUND).until(() -> world.cluster.get(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, doomed).isEmpty());

                int r = round;
                assertEquals(0, world.fake.state().snapshot().runners().stream().filter(x -> x.scaleSetId() == id).count(),
                        "round " + r + ": no runner of the deleted set left registered");
                assertTrue(world.fake.state().snapshot().scaleSets().stream().noneMatch(s -> s.id() == id), "its scale set deleted");
                assertTrue(world.fake.state().snapshot().sessions().stream().noneMatch(s -> s.scaleSetId() == id), "its session deleted");
                assertTrue(world.cluster.list(EphemeralRunner.class, EmbeddedWorld.RUNNER_NAMESPACE).stream()
                        .noneMatch(er -> er.getMetadata().getName().startsWith(doomed + "-")), "its runners are gone from the cluster");
            }
            Verdict leak = new NoRunnerLeak().check(world.history().events());
            assertTrue(leak.ok(), leak.message());
            Set<String> kept = world.listeners().stream().map(l -> l.getSpec().autoscalingRunnerSetName).collect(Collectors.toSet());
            assertEquals(Set.of("kept"), kept, "the set beside them runs on");
        }
    }

    private static long scaleSetId(EmbeddedWorld world, String set) {
        await().atMost(BOUND).until(() -> world.cluster.get(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, set)
                .map(a -> a.getMetadata().getAnnotations() != null && a.getMetadata().getAnnotations().containsKey(Labels.SCALE_SET_ID))
                .orElse(false));
        return Long.parseLong(world.cluster.get(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, set).orElseThrow()
                .getMetadata().getAnnotations().get(Labels.SCALE_SET_ID));
    }
}
