package dev.arcsim.world;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.kubelet.PodProcess;
import dev.arcsim.controller.reconcile.EphemeralRunnerReconciler;
import dev.arcsim.listener.config.ListenerConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a pod's process reads from the cluster, the same in both worlds: a listener pod's config.json from the
 * Secret it mounts (as ARC's controller mounts it at /etc/gha-listener), a runner pod's JIT config from the Secret
 * its runner container's environment names.
 */
public final class PodFiles {

    private PodFiles() {
    }

    public static ListenerConfig listenerConfig(Cluster cluster, Pod pod) {
        return ListenerConfig.parse(listenerConfigJson(cluster, pod), pod.getMetadata().getNamespace() + "/"
                + configSecretName(pod) + "/config.json");
    }

    /** The text of the config.json a listener pod mounts, as its process reads it from the file. */
    public static String listenerConfigJson(Cluster cluster, Pod pod) {
        return secret(cluster, pod.getMetadata().getNamespace(), configSecretName(pod), "config.json");
    }

    private static String configSecretName(Pod pod) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).map(Volume::getSecret)
                .map(s -> s.getSecretName()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the listener pod mounts no config Secret"));
    }

    public static String runnerJitConfig(Cluster cluster, Pod pod) {
        var c = pod.getSpec().getContainers().stream().filter(x -> x.getName().equals("runner")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the runner pod has no runner container"));
        var jit = c.getEnv().stream().filter(e -> e.getName().equals(EphemeralRunnerReconciler.JIT_ENV)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the runner container has no " + EphemeralRunnerReconciler.JIT_ENV));
        var ref = jit.getValueFrom().getSecretKeyRef();
        return secret(cluster, pod.getMetadata().getNamespace(), ref.getName(), ref.getKey());
    }

    static String secret(Cluster cluster, String ns, String name, String key) {
        Secret s = cluster.get(Secret.class, ns, name)
                .orElseThrow(() -> new IllegalStateException("Secret " + ns + "/" + name + " does not exist"));
        String data = s.getData() == null ? null : s.getData().get(key);
        if (data == null) {
            throw new IllegalStateException("Secret " + ns + "/" + name + " has no key " + key);
        }
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    /**
     * The process for a pod, by the component label the controller gives it: a listener, a runner, or none this
     * kubelet runs.
     */
    public static java.util.Optional<PodProcess> forPod(Pod pod, java.util.function.Function<Pod, PodProcess> listener,
                                                       java.util.function.Function<Pod, PodProcess> runner) {
        String component = pod.getMetadata().getLabels() == null ? ""
                : pod.getMetadata().getLabels().getOrDefault(dev.arcsim.controller.reconcile.Labels.COMPONENT, "");
        if (component.equals(dev.arcsim.controller.reconcile.Labels.LISTENER_COMPONENT)) {
            return java.util.Optional.of(listener.apply(pod));
        }
        if (component.equals(dev.arcsim.controller.reconcile.Labels.RUNNER_COMPONENT)) {
            return java.util.Optional.of(runner.apply(pod));
        }
        return java.util.Optional.empty();
    }

    /**
     * A rival listener's cluster: its scale patches go to its own cluster (they are only reported) and it finds none
     * of our runners.
     */
    public static dev.arcsim.listener.scaling.RunnerSets elsewhere(dev.arcsim.listener.loop.ListenerEvents events) {
        return new dev.arcsim.listener.scaling.RunnerSets() {
            @Override
            public void patchReplicas(String namespace, String name, int replicas, int patchId) {
                events.emit("scaled-elsewhere", java.util.Map.of("replicas", replicas));
            }

            @Override
            public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) {
                return false;
            }
        };
    }

    /** A runner pod whose container exits 1 before its runner registers (a bad image, a failing init). */
    public static PodProcess failingRunner() {
        return new PodProcess() {
            @Override
            public int run() {
                return 1;
            }

            @Override
            public void terminate() {
            }

            @Override
            public void kill() {
            }
        };
    }
}
