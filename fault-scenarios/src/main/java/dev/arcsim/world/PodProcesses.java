package dev.arcsim.world;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.kubelet.PodProcess;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.controller.kubelet.SimulatedRunner;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.scaling.Fabric8RunnerSets;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Optional;

/**
 * What the embedded kubelet runs for a pod: the reference listener for a listener pod (configured from the Secret
 * mounted at /etc/gha-listener, as ARC's controller mounts it), or a process of the user's listener binary given the
 * same Secret; a simulated runner for a runner pod (from the JIT
 * config in its Secret).
 */
final class PodProcesses implements SimulatedKubelet.Processes {

    private final Cluster cluster;
    private final KubernetesClient kubernetes;
    private final Transport transport;
    private final Scheduler scheduler;
    private final ListenerEvents events;
    private final String policy;
    private final java.util.Map<String, Object> policyParameters;
    private final java.time.Duration requestTimeout;
    private final java.util.concurrent.atomic.AtomicInteger runnerPodsToFail = new java.util.concurrent.atomic.AtomicInteger();

    /** Listener pods as processes of a user's binary; null runs the reference listener. */
    private final dev.arcsim.world.process.ListenerProcesses binary;

    /**
     * A client of the pod's own (its service account's token) for an in-process listener, closed when the pod ends;
     * null: the world's client, as on the embedded mock, which holds no one to RBAC.
     */
    private final java.util.function.Function<Pod, KubernetesClient> podClients;

    PodProcesses(Cluster cluster, KubernetesClient kubernetes, Transport transport, Scheduler scheduler, ListenerEvents events,
                 String policy, java.util.Map<String, Object> policyParameters, java.time.Duration requestTimeout,
                 dev.arcsim.world.process.ListenerProcesses binary, java.util.function.Function<Pod, KubernetesClient> podClients) {
        this.podClients = podClients;
        this.binary = binary;
        this.cluster = cluster;
        this.kubernetes = kubernetes;
        this.transport = transport;
        this.scheduler = scheduler;
        this.events = events;
        this.policy = policy;
        this.policyParameters = policyParameters;
        this.requestTimeout = requestTimeout;
    }

    /** The next {@code count} runner pods exit 1 before their runner registers (a bad image, a failing init). */
    void failRunnerPods(int count) {
        runnerPodsToFail.addAndGet(count);
    }

    @Override
    public Optional<PodProcess> forPod(Pod pod) {
        return PodFiles.forPod(pod, this::listener, this::runner);
    }

    private PodProcess listener(Pod pod) {
        if (binary != null) {
            return binary.forPod(pod, PodFiles.listenerConfigJson(cluster, pod));
        }
        ListenerConfig cfg = listenerConfig(pod);
        KubernetesClient client = podClients == null ? kubernetes : podClients.apply(pod);
        ListenerApp.Wiring wiring = new ListenerApp.Wiring(transport, client, new Fabric8RunnerSets(client),
                ListenerApp.store(cfg, client), scheduler, events, pod.getMetadata().getName());
        PodProcess process = process(ListenerApp.build(cfg, wiring, new Metrics()));
        return client == kubernetes ? process : process.withCleanup(client::close);
    }

    private ListenerConfig listenerConfig(Pod pod) {
        return PodFiles.listenerConfig(cluster, pod).withPolicy(policy, policyParameters)
                .withRequestTimeoutSeconds(Math.max(1, requestTimeout.toSeconds()));
    }

    /**
     * A listener of another cluster for the same scale set, configured like {@code ours}: it keeps its session state
     * in memory (it cannot see our cluster's leases) and its scale patches go to its own cluster, not ours.
     */
    ListenerConfig rivalConfig(Pod ours) {
        return listenerConfig(ours).withStateStore("memory");
    }

    PodProcess rival(ListenerConfig cfg, ListenerEvents rivalEvents) {
        dev.arcsim.listener.scaling.RunnerSets elsewhere = PodFiles.elsewhere(rivalEvents);
        ListenerApp.Wiring wiring = new ListenerApp.Wiring(transport, kubernetes, elsewhere,
                ListenerApp.store(cfg, kubernetes), scheduler, rivalEvents, "rival-listener");
        return process(ListenerApp.build(cfg, wiring, new Metrics()));
    }

    private static PodProcess process(Listener listener) {
        return new PodProcess() {
            @Override
            public int run() {
                return listener.run();
            }

            @Override
            public void terminate() {
                listener.stop();
            }

            @Override
            public void kill() {
                listener.abandon();
            }
        };
    }

    private PodProcess runner(Pod pod) {
        if (runnerPodsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return PodFiles.failingRunner();
        }
        return new SimulatedRunner(transport, scheduler, PodFiles.runnerJitConfig(cluster, pod));
    }
}
