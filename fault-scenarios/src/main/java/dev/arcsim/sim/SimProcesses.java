package dev.arcsim.sim;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.kubelet.PodProcess;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.controller.kubelet.SimulatedRunner;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.listener.session.SessionStore;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.world.PodFiles;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the simulated world's kubelet runs: the unchanged reference listener for a listener pod and a simulated
 * runner for a runner pod, wired to the in-process transport, the in-memory cluster and virtual time. A listener's
 * session state lives in a store per scale set that outlives its pods, as the Lease does in a cluster; its jitter is
 * drawn from the world's seed.
 */
final class SimProcesses implements SimulatedKubelet.Processes {

    private final Cluster cluster;
    private final Transport transport;
    private final VirtualTime time;
    private final ListenerEvents events;
    private final String policy;
    private final Map<String, Object> policyParameters;
    private final SplittableRandom random;
    private final Map<Long, SessionStore> leases = new HashMap<>();
    private int runnerPodsToFail;
    /** The rival listeners running now, by window id. */
    final Map<String, Listener> rivals = new HashMap<>();

    /** The next {@code count} runner pods exit 1 before their runner registers. */
    void failRunnerPods(int count) {
        runnerPodsToFail += count;
    }

    private final java.time.Duration requestTimeout;

    SimProcesses(Cluster cluster, Transport transport, VirtualTime time, ListenerEvents events, String policy,
                 Map<String, Object> policyParameters, long seed, java.time.Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        this.cluster = cluster;
        this.transport = transport;
        this.time = time;
        this.events = events;
        this.policy = policy;
        this.policyParameters = policyParameters;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Optional<PodProcess> forPod(Pod pod) {
        return PodFiles.forPod(pod, this::listener, this::runner);
    }

    ListenerConfig listenerConfig(Pod pod) {
        return PodFiles.listenerConfig(cluster, pod).withPolicy(policy, policyParameters)
                .withRequestTimeoutSeconds(Math.max(1, requestTimeout.toSeconds()));
    }

    /** A listener of another cluster: its own session state, and scale patches that go to its own cluster. */
    Listener rival(ListenerConfig cfg, ListenerEvents rivalEvents) {
        dev.arcsim.listener.scaling.RunnerSets elsewhere = PodFiles.elsewhere(rivalEvents);
        return ListenerApp.build(cfg, new ListenerApp.Wiring(transport, null, elsewhere, new InMemorySessionStore(), time,
                rivalEvents, "rival-listener", random.split()), new Metrics());
    }

    private PodProcess listener(Pod pod) {
        ListenerConfig cfg = listenerConfig(pod);
        SessionStore lease = leases.computeIfAbsent(cfg.runnerScaleSetId(), id -> new InMemorySessionStore());
        Listener listener = ListenerApp.build(cfg, new ListenerApp.Wiring(transport, null, new ClusterRunnerSets(cluster),
                lease, time, events, pod.getMetadata().getName(), random.split()), new Metrics());
        return new PodProcess() {
            private volatile Thread thread;

            @Override
            public int run() {
                thread = Thread.currentThread();
                return listener.run();
            }

            // The listener stops by interrupting its own thread; in virtual time that wake-up goes through the world.
            @Override
            public void terminate() {
                listener.stop();
                wake();
            }

            @Override
            public void kill() {
                listener.abandon();
                wake();
            }

            private void wake() {
                Thread t = thread;
                if (t != null) {
                    time.interrupt(t);
                }
            }
        };
    }

    private PodProcess runner(Pod pod) {
        if (runnerPodsToFail > 0) {
            runnerPodsToFail--;
            return PodFiles.failingRunner();
        }
        return new SimulatedRunner(transport, time, PodFiles.runnerJitConfig(cluster, pod));
    }
}
