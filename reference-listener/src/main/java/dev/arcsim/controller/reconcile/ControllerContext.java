package dev.arcsim.controller.reconcile;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.time.Scheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** What every reconciler shares: the cluster, the service, the clock, the controller's settings, the event sink. */
public record ControllerContext(Cluster cluster, ServiceConnector service, Scheduler scheduler, RandomGenerator random,
                                ListenerEvents events, Settings settings) {

    /**
     * @param controllerNamespace where listener pods, their config Secrets and AutoscalingListeners live
     * @param listenerImage       the listener container's image
     * @param listenerCommand     the listener container's command (ARC: /ghalistener)
     * @param listenerRestarts    how soon a listener pod that ended is made again
     */
    public record Settings(String controllerNamespace, String listenerImage, java.util.List<String> listenerCommand,
                           ListenerRestarts listenerRestarts) {
        public Settings(String controllerNamespace, String listenerImage, java.util.List<String> listenerCommand) {
            this(controllerNamespace, listenerImage, listenerCommand, ListenerRestarts.BACKOFF);
        }
    }

    /** How soon the controller makes a listener pod again after it ended. */
    public enum ListenerRestarts {
        /** arcsim's: 1 s, 2 s, 4 s ... capped at 2 min, from the failures in a row. */
        BACKOFF,
        /** ARC's: at once, however often it fails (ARC #4656; about 50 ms apart, seen with ARC's HEAD controller). */
        AT_ONCE;

        /** How long after its {@code failures}-th failure in a row a listener pod is made again. */
        public java.time.Duration delay(int failures) {
            return this == AT_ONCE ? java.time.Duration.ZERO : AutoscalingListenerReconciler.backoff(failures);
        }

        /** The restarts of the controller a policy's listener comes with: ARC's for ARC's models. */
        public static ListenerRestarts forPolicy(String policy) {
            return dev.arcsim.listener.policy.ListenerPolicy.modelsArc(policy) ? AT_ONCE : BACKOFF;
        }
    }

    public Instant now() {
        return scheduler.now();
    }

    public void emit(String type, Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        events.emit(type, fields);
    }

    /** A value of a Secret, decoded. */
    public Optional<String> secretValue(String namespace, String name, String key) {
        return cluster.get(Secret.class, namespace, name).map(s -> {
            if (s.getStringData() != null && s.getStringData().containsKey(key)) {
                return s.getStringData().get(key);
            }
            String data = s.getData() == null ? null : s.getData().get(key);
            return data == null ? null : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
        });
    }

    /**
     * Deletes a runner the controller is done with (deregistered, or never registered): its finalizer first, so the
     * API server removes it at once rather than leaving it terminating for the next pass.
     */
    public void deleteRunner(dev.arcsim.controller.crd.EphemeralRunner er) {
        Finalizers.release(cluster, er, Finalizers.RUNNER);
        cluster.delete(dev.arcsim.controller.crd.EphemeralRunner.class, er.getMetadata().getNamespace(), er.getMetadata().getName());
    }

    public static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    public static OwnerReference ownerOf(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** Five lower-case letters and digits, like Kubernetes' generateName suffixes. */
    public String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
