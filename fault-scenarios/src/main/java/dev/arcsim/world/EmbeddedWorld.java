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

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.world.arc.ArcController;
import dev.arcsim.world.arc.ArcRelease;
import dev.arcsim.world.process.ListenerBinary;
import dev.arcsim.world.process.ListenerProcesses;
import dev.arcsim.world.process.Scrubber;
import dev.arcsim.world.tls.ClusterCa;
import dev.arcsim.world.tls.TlsFront;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
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
 * and simulated runners for the pods the controller creates. Given a listener binary (ARC's own), the kubelet runs
 * listener pods as processes of it instead, which reach the API server through a TLS front with a CA made for the run.
 */
public final class EmbeddedWorld implements World {

    public static final String ORG = "acme";

    /**
     * @param policy           the listener policy the listener pods run
     * @param policyParameters its parameters
     * @param pass             how often the controller and the kubelet pass over the cluster
     * @param listenerRequestTimeout the listeners' per-request timeout (long polls included)
     */
    public record Options(long seed, String policy, Map<String, Object> policyParameters, Rules rules, Duration pass,
                          Duration listenerRequestTimeout, ListenerBinary listenerBinary, Path processLogs, ClusterKind cluster,
                          ArcRelease arc) {
        public Options(long seed, String policy, Map<String, Object> policyParameters, Rules rules, Duration pass,
                       Duration listenerRequestTimeout) {
            this(seed, policy, policyParameters, rules, pass, listenerRequestTimeout, null, null, ClusterKind.MOCK, null);
        }

        /** On {@code kind} of API server (the real one needs {@code arcsim kube install}). */
        public Options withCluster(ClusterKind kind) {
            return new Options(seed, policy, policyParameters, rules, pass, listenerRequestTimeout, listenerBinary, processLogs,
                    kind, arc);
        }

        public Options(long seed, String policy, Rules rules, Duration pass) {
            this(seed, policy, Map.of(), rules, pass, Duration.ofSeconds(300));
        }

        /**
         * Listener pods run {@code binary} as OS processes, their output in {@code logs}; {@link #policy} then only
         * names the model that judges the run, and the controller restarts a failed listener pod at once, as ARC's does.
         */
        public Options withListenerBinary(ListenerBinary binary, Path logs) {
            return new Options(seed, policy, policyParameters, rules, pass, listenerRequestTimeout, binary, logs, cluster, arc);
        }

        /**
         * The whole of ARC in place of arcsim's controller: {@code release}'s CRDs, its controller under its chart's
         * RBAC, its listener in the listener pods, on a real API server; every process's output in {@code logs}.
         */
        public Options withArc(ArcRelease release, Path logs) {
            return new Options(seed, policy, policyParameters, rules, pass, listenerRequestTimeout, release.listener(), logs,
                    ClusterKind.REAL, release);
        }

        public static Options defaults() {
            return new Options(1, "resilient", Rules.defaults(), Duration.ofMillis(200));
        }
    }

    public final FakeGitHub fake;
    public final FakeGitHubServer fakeServer;
    /** The embedded mock, or null on a real API server. */
    private final KubernetesMockServer kubeServer;
    /** The real API server and the fault front every client reaches it through, or null on the mock. */
    private final dev.arcsim.world.real.RealApiServer realServer;
    private final dev.arcsim.world.real.FaultFront faultFront;
    public final KubernetesClient kubernetes;
    public final Fabric8Cluster cluster;
    private volatile Controller controller;
    public final SimulatedKubelet kubelet;
    private final Map<String, Integer> eventCounts = new ConcurrentHashMap<>();
    private final History history = new History();
    private final dev.arcsim.listener.time.Scheduler clock = new dev.arcsim.listener.time.SystemScheduler();
    private volatile Spawner.Handle controllerLoop;
    private final Spawner.Handle kubeletLoop;
    private final Spawner loops = Spawner.threads();
    private final Options options;
    private final Transport transport;
    private final KubernetesFaults kubernetesFaults;
    private final PodProcesses processes;
    private final Map<String, Spawner.Handle> rivals = new ConcurrentHashMap<>();
    private final Map<String, dev.arcsim.controller.kubelet.PodProcess> rivalProcesses = new ConcurrentHashMap<>();
    private final Scrubber scrubber = new Scrubber();
    private final TlsFront tlsFront;
    private final ListenerProcesses listenerProcesses;
    /** ARC's controller, when the world runs ARC's ({@link Options#withArc}); null runs arcsim's. */
    private ArcController arcController;
    /** The Node the kubelet binds pods to on a real cluster running ARC; null: pods are on no node. */
    private SimulatedKubelet.Node node;

    public EmbeddedWorld(Options options) {
        this(options, ListenerEvents.none());
    }

    public EmbeddedWorld(Options options, ListenerEvents extra) {
        this.extra = extra;
        this.options = options;
        scrubber.register(PAT);
        fake = new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults().withSeed(options.seed()).withRules(options.rules()));
        fake.observe((at, type, fields) -> history.record(at, "fake-github", type, fields));
        fakeServer = FakeGitHubServer.start(fake, 0);
        kubernetesFaults = new KubernetesFaults(options.seed(), actor("kubernetes"));
        String mockCaPem = null;
        if (options.cluster() == ClusterKind.REAL) {
            kubeServer = null;
            tlsFront = null;
            try {
                var serverOptions = dev.arcsim.world.real.RealApiServer.Options.defaults();
                realServer = dev.arcsim.world.real.RealApiServer.start(dev.arcsim.world.real.RealTier.require(),
                        options.arc() == null ? serverOptions : serverOptions.withCrds(options.arc().crds()));
            } catch (RuntimeException e) {
                fakeServer.close();
                throw e;
            }
            try {
                faultFront = dev.arcsim.world.real.FaultFront.start(realServer.ca(), realServer.url(), kubernetesFaults);
            } catch (RuntimeException e) {
                realServer.close();
                fakeServer.close();
                throw e;
            }
            kubernetes = realServer.adminClientVia(faultFront.url());
            if (options.arc() != null) {
                try {
                    ArcController.installRbac(kubernetes);
                    node = dev.arcsim.world.real.ClusterNode.register(kubernetes, clock);
                } catch (RuntimeException e) {
                    kubernetes.close();
                    faultFront.close();
                    realServer.close();
                    fakeServer.close();
                    throw e;
                }
            }
        } else {
            realServer = null;
            faultFront = null;
            MockWebServer web = new MockWebServer();
            kubeServer = new KubernetesMockServer(new Context(), web, new HashMap<>(), kubernetesFaults.crudStore(web), false);
            try {
                kubeServer.init(InetAddress.getByName("127.0.0.1"), 0);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            kubernetes = kubeServer.createClient();
            if (options.listenerBinary() != null) {
                ClusterCa ca = ClusterCa.create(clock.now());
                mockCaPem = ca.caPem();
                tlsFront = TlsFront.start(ca, java.net.URI.create(kubernetes.getMasterUrl().toString()).getPort());
            } else {
                tlsFront = null;
            }
        }
        cluster = new Fabric8Cluster(kubernetes);
        transport = new JdkTransport("", Map.of());
        startController(0);
        if (options.listenerBinary() != null) {
            listenerProcesses = realServer != null
                    ? new ListenerProcesses(options.listenerBinary(), realServer.caPem(), faultFront.port(), options.processLogs(),
                    scrubber, () -> journalCount("create-session"), realServer::podToken)
                    : new ListenerProcesses(options.listenerBinary(), mockCaPem, tlsFront.port(),
                    options.processLogs(), scrubber, () -> journalCount("create-session"));
        } else {
            listenerProcesses = null;
        }
        java.util.function.Function<io.fabric8.kubernetes.api.model.Pod, KubernetesClient> podClients = realServer == null ? null
                : pod -> realServer.clientVia(faultFront.url(), realServer.podToken(pod));
        processes = new PodProcesses(cluster, kubernetes, transport, clock, actor("listener"), options.policy(),
                options.policyParameters(), options.listenerRequestTimeout(), listenerProcesses, podClients);
        kubelet = new SimulatedKubelet(cluster, clock, Spawner.threads(), processes, actor("kubelet"), node);
        kubeletLoop = loops.spawn("kubelet", () -> kubelet.run(options.pass()));
    }

    /** A controller process: everything it knows comes from the cluster, so a new one is a restart. */
    private void startController(long generation) {
        if (options.arc() != null) {
            if (arcController == null) {
                arcController = new ArcController(options.arc(), CONTROLLER_NAMESPACE, realServer.caPem(), faultFront.port(),
                        () -> realServer.serviceAccountToken(CONTROLLER_NAMESPACE, ArcController.SERVICE_ACCOUNT),
                        options.processLogs(), scrubber, actor("controller"));
            }
            arcController.start();
            return;
        }
        ControllerContext ctx = new ControllerContext(cluster, new ServiceConnector(transport, clock), clock,
                new SplittableRandom(options.seed() + generation), actor("controller"),
                new ControllerContext.Settings(CONTROLLER_NAMESPACE, "arcsim:dev",
                        List.of("java", "-jar", "/opt/arcsim/arcsim.jar", "listener"),
                        ControllerContext.ListenerRestarts.forPolicy(options.policy())));
        controller = new Controller(ctx, options.pass());
        controllerLoop = loops.spawn("controller", controller::run);
    }

    private long controllerGeneration;

    /** Stops the controller process (it takes nothing with it but its memory). */
    public synchronized void stopController() {
        if (arcController != null) {
            arcController.stop();
            return;
        }
        if (controllerLoop == null) {
            return;
        }
        controller.stop();
        controllerLoop.interrupt();
        try {
            controllerLoop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        controllerLoop = null;
    }

    /** Starts a new controller process, when none runs. */
    public synchronized void resumeController() {
        if (arcController != null) {
            arcController.start();
        } else if (controllerLoop == null) {
            startController(++controllerGeneration);
        }
    }

    public Controller controller() {
        return controller;
    }

    /** While in force, matching Kubernetes API requests are refused with the fault's status. */
    public void addKubernetesFault(String id, int status, java.util.Set<String> verbs, java.util.Set<String> resources,
                                   double probability) {
        kubernetesFaults.add(new KubernetesFaults.Fault(id, status, verbs, resources, probability));
    }

    public void removeKubernetesFault(String id) {
        kubernetesFaults.remove(id);
    }

    /** The next {@code count} runner pods fail before their runner registers. */
    public void failRunnerPods(int count) {
        processes.failRunnerPods(count);
    }

    /**
     * Starts a listener of another cluster for the same scale set as the current listener pod, configured like it;
     * false when there is no listener pod to copy the configuration from. When the rival exits (ARC's policies exit
     * on a 409), its own controller starts it again a second later, until {@link #stopRival}.
     */
    public boolean startRival(String id) {
        var pods = cluster.list(io.fabric8.kubernetes.api.model.Pod.class, CONTROLLER_NAMESPACE);
        if (pods.isEmpty()) {
            return false;
        }
        var config = processes.rivalConfig(pods.get(0));
        ListenerEvents events = actor("rival-listener");
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        rivalStops.put(id, stopped);
        rivals.put(id, loops.spawn("rival-" + id, () -> {
            try {
                while (!stopped.get()) {
                    var process = processes.rival(config, events);
                    rivalProcesses.put(id, process);
                    if (stopped.get()) {
                        break;
                    }
                    int code = process.run();
                    events.emit("rival-exited", Map.of("exitCode", code));
                    if (!stopped.get()) {
                        clock.sleep(Duration.ofSeconds(1));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        return true;
    }

    private final Map<String, java.util.concurrent.atomic.AtomicBoolean> rivalStops = new ConcurrentHashMap<>();

    /** Stops a rival listener gracefully (it deletes its session, if it holds one). */
    public void stopRival(String id) {
        var stop = rivalStops.remove(id);
        if (stop != null) {
            stop.set(true);
        }
        var process = rivalProcesses.remove(id);
        var handle = rivals.remove(id);
        if (process != null) {
            process.terminate();
        }
        if (handle != null) {
            try {
                handle.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final ListenerEvents extra;

    /**
     * ARC's controller takes a runner set as its chart writes one: labelled with the controller's version (it deletes
     * one of another version) and with a runner container in its pod template (where it puts the JIT config).
     */
    @Override
    public AutoscalingRunnerSet runnerSet(String name, int minRunners, int maxRunners) {
        AutoscalingRunnerSet ars = World.super.runnerSet(name, minRunners, maxRunners);
        if (options.arc() != null) {
            ars.getMetadata().setLabels(Map.of("app.kubernetes.io/version", options.arc().version()));
            ars.getSpec().template = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewSpec()
                    .addNewContainer().withName("runner").withImage("ghcr.io/actions/actions-runner:latest")
                    .withCommand("/home/runner/run.sh").endContainer().endSpec().build();
        }
        return ars;
    }

    @Override
    public String kind() {
        if (options.arc() != null) {
            return "wire (" + options.arc().label() + ", controller and listener, on a real API server)";
        }
        return options.cluster() == ClusterKind.REAL ? "wire (real API server)" : "wire";
    }

    @Override
    public Instant now() {
        return clock.now();
    }

    @Override
    public void advance(Duration d) throws InterruptedException {
        clock.sleep(d);
    }

    @Override
    public Duration step() {
        return Duration.ofMillis(50);
    }

    @Override
    public FakeGitHub fake() {
        return fake;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public SimulatedKubelet kubelet() {
        return kubelet;
    }

    /** Events of one actor: counted, recorded into the history, and passed on. */
    @Override
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
    @Override
    public String configUrl() {
        return fakeServer.baseUrl() + "/" + ORG;
    }


    /** How many times the fake answered 409 on one endpoint. */
    public long journal409(String endpoint) {
        return fake.journal().counters().getOrDefault(endpoint, Map.of()).getOrDefault(409, 0L);
    }

    private long journalCount(String endpoint) {
        return fake.journal().counters().getOrDefault(endpoint, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Why the listener binary could not run at all (it ended before any session create); empty otherwise. */
    @Override
    public java.util.Optional<String> listenerStartFailure() {
        if (options.arc() != null) {
            var controllerFailure = arcController.startFailure();
            return (controllerFailure.isPresent() ? controllerFailure : listenerProcesses.startFailure())
                    .map(f -> "--arc " + options.arc().dir() + ": " + f);
        }
        return listenerProcesses == null ? java.util.Optional.empty()
                : listenerProcesses.startFailure().map(f -> "--listener-binary " + f);
    }

    /** The listener binary the pods run, if any. */
    @Override
    public java.util.Optional<ListenerBinary> listenerBinary() {
        return java.util.Optional.ofNullable(options.listenerBinary());
    }

    public int events(String type) {
        return eventCounts.getOrDefault(type, 0);
    }

    /** Stops the loops, waits for them (at most 10 s each), then the servers. */
    @Override
    public void close() {
        List.copyOf(rivals.keySet()).forEach(this::stopRival);
        stopController();
        kubelet.stop();
        kubeletLoop.interrupt();
        try {
            kubeletLoop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitNoListenerProcess();
        fakeServer.close();
        if (tlsFront != null) {
            tlsFront.close();
        }
        if (listenerProcesses != null) {
            listenerProcesses.close();
        }
        if (arcController != null) {
            arcController.close();
        }
        kubernetes.close();
        if (kubeServer != null) {
            kubeServer.destroy();
        }
        if (faultFront != null) {
            faultFront.close();
        }
        if (realServer != null) {
            realServer.close();
        }
    }

    /**
     * The kubelet's stop sends SIGTERM; a listener binary then deletes its session through the servers still up. One
     * still running after the grace period gets SIGKILL from its pod thread.
     */
    private void awaitNoListenerProcess() {
        if (listenerProcesses == null) {
            return;
        }
        try {
            kubelet.awaitProcessesEnded(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
