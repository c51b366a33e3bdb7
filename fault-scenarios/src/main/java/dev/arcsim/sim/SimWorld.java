package dev.arcsim.sim;

import dev.arcsim.controller.Controller;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.controller.reconcile.ControllerContext;
import dev.arcsim.controller.reconcile.ServiceConnector;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.history.History;
import dev.arcsim.listener.loop.ListenerEvents;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The whole loop in virtual time: fake-github's model, the in-memory cluster, the reference controller, and a
 * simulated kubelet running the unchanged reference listener and simulated runners, all actors of one
 * {@link VirtualTime}. Nothing reads the wall clock and every random draw comes from the seed, so the same inputs
 * give the same history, byte for byte. The caller drives it: it acts while the world is at rest (queues jobs,
 * kills a pod) and runs it forward with {@link #runFor}.
 */
public final class SimWorld {

    public static final String RUNNER_NAMESPACE = "arc-runners";
    public static final String CONTROLLER_NAMESPACE = "arc-systems";
    public static final String CONFIG_SECRET = "github-config";
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    public final VirtualTime time;
    public final FakeGitHub fake;
    public final InMemoryCluster cluster;
    public final Controller controller;
    public final SimulatedKubelet kubelet;
    private final History history = new History();

    /**
     * @param pass how often the controller and the kubelet pass over the cluster
     */
    public SimWorld(long seed, String policy, Map<String, Object> policyParameters, Rules rules, Duration pass) {
        time = new VirtualTime(EPOCH);
        fake = new FakeGitHub(time, FakeGitHub.Options.defaults().withSeed(seed).withRules(rules));
        fake.observe((at, type, fields) -> history.record(at, "fake-github", type, fields));
        InProcessTransport transport = new InProcessTransport(fake, time);
        cluster = new InMemoryCluster(time::now);
        VirtualSpawner spawner = new VirtualSpawner(time);
        ControllerContext ctx = new ControllerContext(cluster, new ServiceConnector(transport, time), time,
                new SplittableRandom(seed), actor("controller"),
                new ControllerContext.Settings(CONTROLLER_NAMESPACE, "arcsim:dev",
                        List.of("java", "-jar", "/opt/arcsim/arcsim.jar", "listener")));
        controller = new Controller(ctx, pass);
        kubelet = new SimulatedKubelet(cluster, time, spawner,
                new SimProcesses(cluster, transport, time, actor("listener"), policy, policyParameters, seed), actor("kubelet"));
        spawner.spawn("controller", controller::run);
        spawner.spawn("kubelet", () -> kubelet.run(pass));
    }

    /** Events of one actor, recorded at the world's time. */
    public ListenerEvents actor(String name) {
        return (type, fields) -> history.record(time.now(), name, type, fields);
    }

    public History history() {
        return history;
    }

    public void runFor(Duration d) throws InterruptedException {
        time.runFor(d);
    }

    /** The PAT Secret and an AutoscalingRunnerSet, as a user applies them. */
    public void createRunnerSet(String name, int minRunners, int maxRunners) {
        if (cluster.get(Secret.class, RUNNER_NAMESPACE, CONFIG_SECRET).isEmpty()) {
            cluster.create(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(CONFIG_SECRET)
                    .withNamespace(RUNNER_NAMESPACE).build()).withData(Map.of("github_token",
                    ControllerContext.encode("ghp_sim_token"))).build());
        }
        AutoscalingRunnerSet ars = new AutoscalingRunnerSet();
        ars.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(RUNNER_NAMESPACE).build());
        AutoscalingRunnerSet.Spec spec = new AutoscalingRunnerSet.Spec();
        spec.githubConfigUrl = "http://" + InProcessTransport.HOST + "/acme";
        spec.githubConfigSecret = CONFIG_SECRET;
        spec.minRunners = minRunners;
        spec.maxRunners = maxRunners;
        ars.setSpec(spec);
        cluster.create(ars);
    }

    public void queueJobs(String scaleSet, int count, long durationSeconds) {
        fake.state().enqueueJobs(new ServiceState.JobRequest(scaleSet, null, "app", "ci.yml", "build", "push",
                durationSeconds), count);
    }

    public int runners() {
        return cluster.count(EphemeralRunner.class);
    }

    public List<AutoscalingListener> listeners() {
        return cluster.list(AutoscalingListener.class, CONTROLLER_NAMESPACE);
    }
}
