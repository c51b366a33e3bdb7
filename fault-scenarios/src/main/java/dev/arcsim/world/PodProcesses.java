package dev.arcsim.world;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.kubelet.PodProcess;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.controller.kubelet.SimulatedRunner;
import dev.arcsim.controller.reconcile.EphemeralRunnerReconciler;
import dev.arcsim.controller.reconcile.Labels;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.scaling.Fabric8RunnerSets;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What the embedded kubelet runs for a pod: the reference listener for a listener pod (configured from the Secret
 * mounted at /etc/gha-listener, as ARC's controller mounts it), a simulated runner for a runner pod (from the JIT
 * config in its Secret).
 */
final class PodProcesses implements SimulatedKubelet.Processes {

    private final Cluster cluster;
    private final KubernetesClient kubernetes;
    private final Transport transport;
    private final Scheduler scheduler;
    private final ListenerEvents events;
    private final String policy;

    PodProcesses(Cluster cluster, KubernetesClient kubernetes, Transport transport, Scheduler scheduler, ListenerEvents events,
                 String policy) {
        this.cluster = cluster;
        this.kubernetes = kubernetes;
        this.transport = transport;
        this.scheduler = scheduler;
        this.events = events;
        this.policy = policy;
    }

    @Override
    public Optional<PodProcess> forPod(Pod pod) {
        String component = pod.getMetadata().getLabels() == null ? "" : pod.getMetadata().getLabels().getOrDefault(Labels.COMPONENT, "");
        if (component.equals(Labels.LISTENER_COMPONENT)) {
            return Optional.of(listener(pod));
        }
        if (component.equals(Labels.RUNNER_COMPONENT)) {
            return Optional.of(runner(pod));
        }
        return Optional.empty();
    }

    private PodProcess listener(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String secretName = pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).map(Volume::getSecret)
                .map(s -> s.getSecretName()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the listener pod mounts no config Secret"));
        String config = secret(ns, secretName, "config.json");
        ListenerConfig cfg = ListenerConfig.parse(config, ns + "/" + secretName + "/config.json").withPolicy(policy);
        ListenerApp.Wiring wiring = new ListenerApp.Wiring(transport, kubernetes, new Fabric8RunnerSets(kubernetes),
                ListenerApp.store(cfg, kubernetes), scheduler, events, pod.getMetadata().getName());
        Listener listener = ListenerApp.build(cfg, wiring, new Metrics());
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
        Container c = pod.getSpec().getContainers().stream().filter(x -> x.getName().equals("runner")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the runner pod has no runner container"));
        EnvVar jit = c.getEnv().stream().filter(e -> e.getName().equals(EphemeralRunnerReconciler.JIT_ENV)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the runner container has no " + EphemeralRunnerReconciler.JIT_ENV));
        var ref = jit.getValueFrom().getSecretKeyRef();
        return new SimulatedRunner(transport, scheduler, secret(pod.getMetadata().getNamespace(), ref.getName(), ref.getKey()));
    }

    private String secret(String ns, String name, String key) {
        Secret s = cluster.get(Secret.class, ns, name)
                .orElseThrow(() -> new IllegalStateException("Secret " + ns + "/" + name + " does not exist"));
        String data = s.getData() == null ? null : s.getData().get(key);
        if (data == null) {
            throw new IllegalStateException("Secret " + ns + "/" + name + " has no key " + key);
        }
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }
}
