package dev.arcsim.world;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.history.History;
import dev.arcsim.listener.loop.ListenerEvents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a scenario plays on: fake-github, a cluster with the reference controller and a simulated kubelet, and the
 * recorded history. {@link EmbeddedWorld} runs it over real HTTP on the wall clock; {@link dev.arcsim.sim.SimWorld}
 * runs the same components in virtual time. The scenario runner acts on a world only between {@link #advance}
 * calls, so in the simulated world it acts while every actor is at rest.
 */
public interface World extends AutoCloseable {

    String RUNNER_NAMESPACE = "arc-runners";
    String CONTROLLER_NAMESPACE = "arc-systems";
    String CONFIG_SECRET = "github-config";
    /** The PAT in {@link #CONFIG_SECRET}: fake-github takes any, and no log or report may show it. */
    String PAT = "ghp_world_token";

    /** "wire" or "sim", as reports name the world. */
    String kind();

    Instant now();

    /** Lets the world run for {@code d} of its time. */
    void advance(Duration d) throws InterruptedException;

    /** How far {@link #advance} should go at a time when the caller polls the world. */
    Duration step();

    FakeGitHub fake();

    Cluster cluster();

    SimulatedKubelet kubelet();

    History history();

    /** Events of one actor, recorded into the history at the world's time. */
    ListenerEvents actor(String name);

    /** The GitHub config URL of the fake's organization, as a runner set names it. */
    String configUrl();

    /** The PAT Secret and an AutoscalingRunnerSet, as a user applies them. */
    default void createRunnerSet(String name, int minRunners, int maxRunners) {
        if (cluster().get(io.fabric8.kubernetes.api.model.Secret.class, RUNNER_NAMESPACE, CONFIG_SECRET).isEmpty()) {
            cluster().create(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(CONFIG_SECRET)
                            .withNamespace(RUNNER_NAMESPACE).build())
                    .withData(java.util.Map.of("github_token", dev.arcsim.controller.reconcile.ControllerContext.encode(
                            PAT))).build());
        }
        cluster().create(runnerSet(name, minRunners, maxRunners));
    }

    /** The AutoscalingRunnerSet {@link #createRunnerSet} applies, pointed at the fake's organization. */
    default AutoscalingRunnerSet runnerSet(String name, int minRunners, int maxRunners) {
        AutoscalingRunnerSet ars = new AutoscalingRunnerSet();
        ars.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(RUNNER_NAMESPACE).build());
        AutoscalingRunnerSet.Spec spec = new AutoscalingRunnerSet.Spec();
        spec.githubConfigUrl = configUrl();
        spec.githubConfigSecret = CONFIG_SECRET;
        spec.minRunners = minRunners;
        spec.maxRunners = maxRunners;
        ars.setSpec(spec);
        return ars;
    }

    void stopController();

    void resumeController();

    void addKubernetesFault(String id, int status, Set<String> verbs, Set<String> resources, double probability);

    void removeKubernetesFault(String id);

    void failRunnerPods(int count);

    boolean startRival(String id);

    void stopRival(String id);

    @Override
    void close();

    /**
     * Why the listener binary (or ARC's controller) could not run at all, naming the option that gave it; empty while
     * it runs, and in a world without one.
     */
    default java.util.Optional<String> listenerStartFailure() {
        return java.util.Optional.empty();
    }

    /** The listener binary the listener pods run; empty when they run the reference listener. */
    default java.util.Optional<dev.arcsim.world.process.ListenerBinary> listenerBinary() {
        return java.util.Optional.empty();
    }

    default void queueJobs(String scaleSet, int count, long durationSeconds) {
        fake().state().enqueueJobs(new ServiceState.JobRequest(scaleSet, null, "app", "ci.yml", "build", "push",
                durationSeconds), count);
    }

    default int runners() {
        return cluster().list(dev.arcsim.controller.crd.EphemeralRunner.class, RUNNER_NAMESPACE).size();
    }

    default List<AutoscalingListener> listeners() {
        return cluster().list(AutoscalingListener.class, CONTROLLER_NAMESPACE);
    }

    /**
     * Edits a runner set as a user's {@code helm upgrade} would: new bounds and/or a new runner image (the runner
     * pod template changes, so the controller rolls the runners' spec). Null leaves a field alone.
     */
    default void updateRunnerSet(String name, Integer minRunners, Integer maxRunners, String runnerImage) {
        AutoscalingRunnerSet ars = cluster().get(AutoscalingRunnerSet.class, RUNNER_NAMESPACE, name)
                .orElseThrow(() -> new IllegalStateException("no runner set " + name));
        if (minRunners != null) {
            ars.getSpec().minRunners = minRunners;
        }
        if (maxRunners != null) {
            ars.getSpec().maxRunners = maxRunners;
        }
        if (runnerImage != null) {
            ars.getSpec().template = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewSpec()
                    .addNewContainer().withName("runner").withImage(runnerImage).endContainer().endSpec().build();
        }
        cluster().update(ars);
    }
}
