package dev.arcsim.world;

import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.controller.reconcile.Labels;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.fake.state.Tenant;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference controller on the embedded API server, with the simulated kubelet, the reference listener and the
 * fake on loopback. Every wait is an Awaitility bound; no assertion is on wall time.
 */
class ControllerIntegrationTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String SET = "arc-runner-set";
    private EmbeddedWorld world;

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    /** The API server these tests run on; {@link RealClusterControllerIntegrationTest} runs them on a real one. */
    protected ClusterKind cluster() {
        return ClusterKind.MOCK;
    }

    private EmbeddedWorld start(int min, int max) {
        world = new EmbeddedWorld(EmbeddedWorld.Options.defaults().withCluster(cluster()));
        world.createRunnerSet(SET, min, max);
        await().atMost(BOUND).until(() -> !world.fake.state().snapshot().sessions().isEmpty()
                && world.fake.state().snapshot().sessions().get(0).pollsInFlight() > 0);
        return world;
    }

    private long completed() {
        return world.fake.state().snapshot().jobs().stream().filter(j -> j.state() == JobState.COMPLETED).count();
    }

    private AutoscalingListener listener() {
        return world.listeners().get(0);
    }

    private long scaleSetId() {
        AutoscalingRunnerSet ars = world.cluster.get(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, SET).orElseThrow();
        return Long.parseLong(ars.getMetadata().getAnnotations().get(Labels.SCALE_SET_ID));
    }

    @Test
    void queuedJobsRunOnRunnersTheControllerCreatesAndTheRunnersGoAway() {
        start(0, 10);
        world.queueJobs(SET, 3, 1);
        await().atMost(BOUND).until(() -> completed() == 3);
        await().atMost(BOUND).until(() -> world.runners() == 0);
        assertEquals(0, world.fake.state().snapshot().runners().size(), "every runner deregistered");
        assertTrue(world.fake.state().snapshot().jobs().stream().allMatch(j -> j.starts() == 1), "no job ran twice");
    }

    @Test
    void scaleUpNeverOvershootsWhileRunnerStatusChangesBetweenPatchesAndScalesBackDown() {
        start(0, 10);
        world.queueJobs(SET, 3, 6);
        await().atMost(BOUND).until(() -> world.runners() == 3);
        // Runners register, start their jobs and change status many times in these seconds; patchID keeps the set at 3.
        await().during(Duration.ofSeconds(3)).atMost(BOUND).until(() -> world.runners() <= 3);
        EphemeralRunnerSet ers = world.cluster.get(EphemeralRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, SET).orElseThrow();
        assertTrue(ers.getSpec().patchID > 0, "the scale-up carried a patch id");
        await().atMost(BOUND).until(() -> completed() == 3 && world.runners() == 0);
        assertEquals(0, world.fake.state().snapshot().runners().size());
    }

    @Test
    void aTakenRunnerNameRemovesTheStaleRunnerAndTheRunnerIsRegisteredAgain() {
        start(0, 10);
        long id = scaleSetId();
        Tenant tenant = world.fake.state().tenantFor("organization", EmbeddedWorld.ORG, EmbeddedWorld.ORG, null);
        String name = "arc-runner-set-runner-stale";
        long staleId = world.fake.state().generateJitConfig(tenant, id, name).runner().id();

        EphemeralRunner er = new EphemeralRunner();
        er.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(EmbeddedWorld.RUNNER_NAMESPACE).build());
        EphemeralRunner.Spec spec = new EphemeralRunner.Spec();
        spec.githubConfigUrl = world.configUrl();
        spec.githubConfigSecret = EmbeddedWorld.CONFIG_SECRET;
        spec.runnerScaleSetId = id;
        er.setSpec(spec);
        world.cluster.create(er);

        await().atMost(BOUND).until(() -> world.cluster.get(Secret.class, EmbeddedWorld.RUNNER_NAMESPACE, name).isPresent());
        assertTrue(world.events("stale-runner-removed") >= 1);
        var registered = world.fake.state().runnersNamed(tenant, name);
        assertEquals(1, registered.size());
        assertNotEquals(staleId, registered.get(0).id(), "the runner was registered again under a new id");
        assertTrue(world.journal409("generate-jit-config") >= 1, "the first JIT answered AgentExistsException");
    }

    @Test
    void aKilledListenerPodIsRecreatedWithBackoffAndItsFailuresCounted() {
        start(0, 10);
        String name = listener().getMetadata().getName();
        long mark = world.fake.journal().lastSeq();

        assertTrue(world.kubelet.kill(EmbeddedWorld.CONTROLLER_NAMESPACE, name));   // SIGKILL: the session stays behind
        await().atMost(BOUND).until(() -> listener().getStatus() != null && Integer.valueOf(1).equals(listener().getStatus().failures));
        AutoscalingListener.Status first = listener().getStatus();
        assertEquals(137, first.lastExitCode);
        assertEquals(Duration.ofSeconds(1), Duration.between(Instant.parse(first.lastFailureTime), Instant.parse(first.nextAttemptTime)));
        await().atMost(BOUND).until(() -> world.kubelet.runningProcesses() >= 1 && world.fake.journal().since(mark).stream()
                .anyMatch(e -> e.endpoint().equals("create-session") && e.status() == 200));
        assertEquals(List.of(200), world.fake.journal().since(mark).stream().filter(e -> e.endpoint().equals("create-session"))
                .map(Journal.Entry::status).toList(), "the new listener took the orphaned session over: no 409");

        assertTrue(world.kubelet.kill(EmbeddedWorld.CONTROLLER_NAMESPACE, name));
        await().atMost(BOUND).until(() -> Integer.valueOf(2).equals(listener().getStatus().failures));
        AutoscalingListener.Status second = listener().getStatus();
        assertEquals(Duration.ofSeconds(2), Duration.between(Instant.parse(second.lastFailureTime), Instant.parse(second.nextAttemptTime)),
                "the backoff doubles");
        assertEquals(2, second.restarts);
    }

    @Test
    void anEvictedListenerPodIsReplaced() {
        start(0, 10);
        String name = listener().getMetadata().getName();
        assertTrue(world.kubelet.evict(EmbeddedWorld.CONTROLLER_NAMESPACE, name));
        await().atMost(BOUND).until(() -> listener().getStatus() != null && "Evicted".equals(listener().getStatus().lastFailureReason));
        await().atMost(BOUND).until(() -> world.cluster.get(Pod.class, EmbeddedWorld.CONTROLLER_NAMESPACE, name)
                .map(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).orElse(false));
        await().atMost(BOUND).until(() -> world.fake.state().snapshot().sessions().size() == 1);
    }

    @Test
    void aRunnerSpecUpdateReplacesIdleWarmRunnersAndLeavesTheListenerRunning() {
        start(2, 10);
        await().atMost(BOUND).until(() -> world.runners() == 2 && idleRegisteredRunners().size() == 2);
        Set<String> before = idleRegisteredRunners();
        String session = world.fake.state().snapshot().sessions().get(0).sessionId();

        AutoscalingRunnerSet ars = world.cluster.get(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, SET).orElseThrow();
        ars.getSpec().template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("team", "ci")).endMetadata()
                .withNewSpec().addNewContainer().withName("runner").withImage("ghcr.io/actions/actions-runner:2.330.0").endContainer()
                .endSpec().build();
        world.cluster.update(ars);

        await().atMost(BOUND).until(() -> {
            Set<String> now = idleRegisteredRunners();
            return now.size() == 2 && now.stream().noneMatch(before::contains);
        });
        assertEquals(session, world.fake.state().snapshot().sessions().get(0).sessionId(), "the listener kept its session");
        assertEquals(0, world.events("listener-pod-rolled"));
    }

    @Test
    void deletingTheRunnerSetRemovesEverythingAndTheScaleSetInTheService() {
        start(1, 10);
        await().atMost(BOUND).until(() -> world.runners() == 1);
        world.cluster.delete(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, SET);
        await().atMost(BOUND).until(() -> world.fake.state().snapshot().scaleSets().isEmpty());
        await().atMost(BOUND).until(() -> world.listeners().isEmpty()
                && world.cluster.list(AutoscalingRunnerSet.class, null).isEmpty()
                && world.cluster.list(EphemeralRunnerSet.class, null).isEmpty()
                && world.cluster.list(EphemeralRunner.class, null).isEmpty()
                && world.cluster.list(Pod.class, null).isEmpty());
        assertEquals(Set.of(EmbeddedWorld.CONFIG_SECRET), world.cluster.list(Secret.class, null).stream()
                .map(s -> s.getMetadata().getName()).collect(Collectors.toSet()), "only the user's own Secret is left");
        assertEquals(0, world.fake.state().snapshot().sessions().size(), "the listener deleted its session on SIGTERM");
        assertEquals(0, world.fake.state().snapshot().runners().size(), "the runner was deregistered");
    }

    @Test
    void deletingTheRunnerSetWhileARunnerIsOnAJobLetsTheJobFinishThenRemovesEverything() {
        start(0, 10);
        world.queueJobs(SET, 1, 3);
        await().atMost(BOUND).until(() -> world.fake.state().snapshot().jobs().stream().anyMatch(j -> j.state() == JobState.STARTED));
        world.cluster.delete(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, SET);
        await().atMost(BOUND).until(() -> world.fake.state().snapshot().scaleSets().isEmpty());
        assertEquals(1, completed(), "the job on the runner finished");
        assertEquals(0, world.cluster.list(EphemeralRunner.class, null).size());
        assertEquals(0, world.fake.state().snapshot().runners().size());
    }

    private Set<String> idleRegisteredRunners() {
        return world.cluster.list(EphemeralRunner.class, EmbeddedWorld.RUNNER_NAMESPACE).stream()
                .filter(er -> er.getStatus() != null && er.getStatus().runnerId != null && "Running".equals(er.getStatus().phase))
                .map(er -> er.getMetadata().getName()).collect(Collectors.toSet());
    }
}
