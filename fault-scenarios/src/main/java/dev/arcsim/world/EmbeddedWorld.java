package dev.arcsim.world;

import dev.arcsim.controller.Controller;
import dev.arcsim.controller.cluster.Fabric8Cluster;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.controller.kubelet.Spawner;
import dev.arcsim.controller.reconcile.ControllerContext;
import dev.arcsim.controller.reconcile.ServiceConnector;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.fake.time.SystemScheduler;
import dev.arcsim.history.History;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.wire.JdkTransport;
import dev.arcsim.listener.wire.Transport;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole loop in one process on the wall clock: fake-github on loopback, an embedded Kubernetes API server (the
 * fabric8 mock in CRUD mode), the reference controller, and a simulated kubelet that runs the reference listener
 * and simulated runners for the pods the controller creates.
 */
public final class EmbeddedWorld implements AutoCloseable {

    public static final String RUNNER_NAMESPACE = "arc-runners";
    public static final String CONTROLLER_NAMESPACE = "arc-systems";
    public static final String CONFIG_SECRET = "github-config";
    public static final String ORG = "acme";

    /** @param policy the listener policy the listener pods run */
    public record Options(long seed, String policy, Rules rules, Duration pass) {
        public static Options defaults() {
            return new Options(1, "resilient", Rules.defaults(), Duration.ofMillis(200));
        }
    }

    public final FakeGitHub fake;
    public final FakeGitHubServer fakeServer;
    public final KubernetesMockServer kubeServer;
    public final KubernetesClient kubernetes;
    public final Fabric8Cluster cluster;
    public final Controller controller;
    public final SimulatedKubelet kubelet;
    private final Map<String, Integer> eventCounts = new ConcurrentHashMap<>();
    private final History history = new History();
    private final dev.arcsim.listener.time.Scheduler clock = new dev.arcsim.listener.time.SystemScheduler();
    private final Spawner.Handle controllerLoop;
    private final Spawner.Handle kubeletLoop;

    public EmbeddedWorld(Options options) {
        this(options, ListenerEvents.none());
    }

    public EmbeddedWorld(Options options, ListenerEvents extra) {
        this.extra = extra;
        fake = new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults().withSeed(options.seed()).withRules(options.rules()));
        fake.observe((at, type, fields) -> history.record(at, "fake-github", type, fields));
        fakeServer = FakeGitHubServer.start(fake, 0);
        kubeServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        try {
            kubeServer.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        kubernetes = kubeServer.createClient();
        cluster = new Fabric8Cluster(kubernetes);
        Transport transport = new JdkTransport("", Map.of());
        ControllerContext ctx = new ControllerContext(cluster, new ServiceConnector(transport, clock), clock,
                new SplittableRandom(options.seed()), actor("controller"),
                new ControllerContext.Settings(CONTROLLER_NAMESPACE, "arcsim:dev",
                        List.of("java", "-jar", "/opt/arcsim/arcsim.jar", "listener")));
        controller = new Controller(ctx, options.pass());
        kubelet = new SimulatedKubelet(cluster, clock, Spawner.threads(),
                new PodProcesses(cluster, kubernetes, transport, clock, actor("listener"), options.policy()), actor("kubelet"));
        Spawner loops = Spawner.threads();
        controllerLoop = loops.spawn("controller", controller::run);
        kubeletLoop = loops.spawn("kubelet", () -> kubelet.run(options.pass()));
    }

    private final ListenerEvents extra;

    /** Events of one actor: counted, recorded into the history, and passed on. */
    public ListenerEvents actor(String name) {
        return (type, fields) -> {
            eventCounts.merge(type, 1, Integer::sum);
            history.record(clock.now(), name, type, fields);
            extra.emit(type, fields);
        };
    }

    /** Everything recorded so far: the fake's state changes and every actor's events. */
    public History history() {
        return history;
    }

    /** The GitHub config URL of the fake's organization. */
    public String configUrl() {
        return fakeServer.baseUrl() + "/" + ORG;
    }

    /** The PAT Secret and an AutoscalingRunnerSet, as a user applies them. */
    public AutoscalingRunnerSet createRunnerSet(String name, int minRunners, int maxRunners) {
        if (cluster.get(io.fabric8.kubernetes.api.model.Secret.class, RUNNER_NAMESPACE, CONFIG_SECRET).isEmpty()) {
            cluster.create(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(CONFIG_SECRET)
                    .withNamespace(RUNNER_NAMESPACE).build()).withData(Map.of("github_token",
                    ControllerContext.encode("ghp_embedded_demo_token"))).build());
        }
        AutoscalingRunnerSet ars = new AutoscalingRunnerSet();
        ars.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(RUNNER_NAMESPACE).build());
        AutoscalingRunnerSet.Spec spec = new AutoscalingRunnerSet.Spec();
        spec.githubConfigUrl = configUrl();
        spec.githubConfigSecret = CONFIG_SECRET;
        spec.minRunners = minRunners;
        spec.maxRunners = maxRunners;
        ars.setSpec(spec);
        return cluster.create(ars);
    }

    public List<Long> queueJobs(String scaleSet, int count, long durationSeconds) {
        return fake.state().enqueueJobs(new ServiceState.JobRequest(scaleSet, null, "app", "ci.yml", "build", "push",
                durationSeconds), count);
    }

    public int runners() {
        return cluster.list(EphemeralRunner.class, RUNNER_NAMESPACE).size();
    }

    public List<AutoscalingListener> listeners() {
        return cluster.list(AutoscalingListener.class, CONTROLLER_NAMESPACE);
    }

    /** How many times the fake answered 409 on one endpoint. */
    public long journal409(String endpoint) {
        return fake.journal().counters().getOrDefault(endpoint, Map.of()).getOrDefault(409, 0L);
    }

    public int events(String type) {
        return eventCounts.getOrDefault(type, 0);
    }

    /** Stops the loops, waits for them (at most 10 s each), then the servers. */
    @Override
    public void close() {
        controller.stop();
        kubelet.stop();
        controllerLoop.interrupt();
        kubeletLoop.interrupt();
        try {
            controllerLoop.join(Duration.ofSeconds(10));
            kubeletLoop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fakeServer.close();
        kubernetes.close();
        kubeServer.destroy();
    }
}
