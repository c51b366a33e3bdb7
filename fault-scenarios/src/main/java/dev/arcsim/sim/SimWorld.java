package dev.arcsim.sim;

import dev.arcsim.controller.Controller;
import dev.arcsim.controller.cluster.ChangeFeed;
import dev.arcsim.controller.cluster.NamedChanges;
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
public final class SimWorld implements dev.arcsim.world.World {

    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    public final VirtualTime time;
    public final FakeGitHub fake;
    public final InMemoryCluster cluster;
    public final SimulatedKubelet kubelet;
    private final History history = new History();
    private final VirtualSpawner spawner;
    private final SimProcesses processes;
    private final InProcessTransport transport;
    private final long seed;
    private final String policy;
    private final Duration pass;
    private final NamedChanges controllerChanges;
    private final NamedChanges kubeletChanges;

    /**
     * The longest the controller and the kubelet rest without a change in the cluster (or a process ending): what
     * depends on time alone (a backoff running out, a job assigned in the service) waits at most this for a pass.
     */
    static final Duration RESYNC = Duration.ofSeconds(2);
    /**
     * How often the controller and the kubelet look at every runner and pod, not only those that changed: a safety
     * net, as an informer's resync is; what is due at a time asks to be looked at again. (The catalogue and the seed sweep
     * come out as stated with no full pass at all after the first: the net is not what keeps them right.)
     */
    static final Duration FULL_PASS = Duration.ofMinutes(10);
    private Controller controller;
    private dev.arcsim.controller.kubelet.Spawner.Handle controllerLoop;
    private long controllerGeneration;
    private final Map<String, java.util.concurrent.atomic.AtomicBoolean> rivals = new java.util.HashMap<>();

    /**
     * @param pass how often the controller and the kubelet pass over the cluster
     */
    public SimWorld(long seed, String policy, Map<String, Object> policyParameters, Rules rules, Duration pass) {
        this(seed, policy, policyParameters, rules, pass, Duration.ofSeconds(300));
    }

    /** @param requestTimeout the listeners' per-request timeout, long polls included */
    public SimWorld(long seed, String policy, Map<String, Object> policyParameters, Rules rules, Duration pass,
                    Duration requestTimeout) {
        this.seed = seed;
        this.policy = policy;
        this.pass = pass;
        time = new VirtualTime(EPOCH);
        fake = new FakeGitHub(time, FakeGitHub.Options.defaults().withSeed(seed).withRules(rules));
        fake.observe((at, type, fields) -> history.record(at, "fake-github", type, fields));
        transport = new InProcessTransport(fake, time);
        cluster = new InMemoryCluster(time::now, seed, actor("kubernetes"));
        dev.arcsim.fake.time.Scheduler.ChangeSignal signal = time.newSignal();
        ChangeFeed anyChange = new ChangeFeed() {
            @Override
            public long version() {
                return signal.version();
            }

            @Override
            public void awaitChange(long seen, Duration max) throws InterruptedException {
                signal.awaitChange(seen, time.now().plus(max));
            }
        };
        controllerChanges = new NamedChanges(anyChange);
        kubeletChanges = new NamedChanges(anyChange);
        cluster.onChange(key -> {
            controllerChanges.changed(key);
            kubeletChanges.changed(key);
            signal.signalAll();
        });
        spawner = new VirtualSpawner(time, signal::signalAll);
        processes = new SimProcesses(cluster, transport, time, actor("listener"), policy, policyParameters, seed,
                requestTimeout);
        kubelet = new SimulatedKubelet(cluster, time, spawner, processes, actor("kubelet"));
        startController();
        spawner.spawn("kubelet", () -> kubelet.run(pass, kubeletChanges, RESYNC, FULL_PASS));
    }

    private void startController() {
        ControllerContext ctx = new ControllerContext(cluster, new ServiceConnector(transport, time), time,
                new SplittableRandom(seed + controllerGeneration), actor("controller"),
                new ControllerContext.Settings(CONTROLLER_NAMESPACE, "arcsim:dev",
                        List.of("java", "-jar", "/opt/arcsim/arcsim.jar", "listener"),
                        ControllerContext.ListenerRestarts.forPolicy(policy)));
        controller = new Controller(ctx, pass, controllerChanges, RESYNC, FULL_PASS);
        Controller c = controller;
        controllerLoop = spawner.spawn("controller", c::run);
    }

    @Override
    public String kind() {
        return "sim";
    }

    @Override
    public Instant now() {
        return time.now();
    }

    @Override
    public void advance(Duration d) throws InterruptedException {
        time.runFor(d);
    }

    @Override
    public Duration step() {
        return Duration.ofMillis(500);
    }

    @Override
    public FakeGitHub fake() {
        return fake;
    }

    @Override
    public InMemoryCluster cluster() {
        return cluster;
    }

    @Override
    public SimulatedKubelet kubelet() {
        return kubelet;
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void stopController() {
        if (controllerLoop != null) {
            controller.stop();
            controllerLoop.interrupt();
            controllerLoop = null;
        }
    }

    @Override
    public void resumeController() {
        if (controllerLoop == null) {
            controllerGeneration++;
            startController();
        }
    }

    @Override
    public void addKubernetesFault(String id, int status, java.util.Set<String> verbs, java.util.Set<String> resources,
                                   double probability) {
        cluster.addFault(id, status, verbs, resources, probability);
    }

    @Override
    public void removeKubernetesFault(String id) {
        cluster.removeFault(id);
    }

    @Override
    public void failRunnerPods(int count) {
        processes.failRunnerPods(count);
    }

    /** A listener of another cluster for the same scale set, restarted a second after each exit, until stopped. */
    @Override
    public boolean startRival(String id) {
        List<io.fabric8.kubernetes.api.model.Pod> pods = cluster.list(io.fabric8.kubernetes.api.model.Pod.class, CONTROLLER_NAMESPACE);
        if (pods.isEmpty()) {
            return false;
        }
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        rivals.put(id, stopped);
        ListenerEvents events = actor("rival-listener");
        var config = processes.listenerConfig(pods.get(0)).withStateStore("memory");
        spawner.spawn("rival-" + id, () -> {
            while (!stopped.get()) {
                dev.arcsim.listener.loop.Listener l = processes.rival(config, events);
                processes.rivals.put(id, l);
                int code = l.run();
                events.emit("rival-exited", Map.of("exitCode", code));
                try {
                    time.sleep(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return true;
    }

    @Override
    public void stopRival(String id) {
        var stopped = rivals.remove(id);
        if (stopped != null) {
            stopped.set(true);
        }
        var l = processes.rivals.remove(id);
        if (l != null) {
            l.stop();
        }
        time.interruptAll("rival-" + id);
    }

    /** Stops every loop and process and lets them end in the world's time. */
    @Override
    public void close() {
        controller.stop();
        kubelet.stop();
        List.copyOf(rivals.keySet()).forEach(this::stopRival);
        time.interruptAll("");
        try {
            time.runFor(Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // an actor failing while it stops changes nothing the run recorded
        }
    }

    /** Events of one actor, recorded at the world's time. */
    @Override
    public ListenerEvents actor(String name) {
        return (type, fields) -> history.record(time.now(), name, type, fields);
    }

    @Override
    public History history() {
        return history;
    }

    public void runFor(Duration d) throws InterruptedException {
        time.runFor(d);
    }

    @Override
    public String configUrl() {
        return "http://" + InProcessTransport.HOST + "/acme";
    }
}
