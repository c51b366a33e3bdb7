package dev.arcsim.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.listener.client.ActionsClient;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * AutoscalingRunnerSet (CONTROLLER.md §B.2): the scale set in the service, one EphemeralRunnerSet, one
 * AutoscalingListener, and the status. A changed runner spec is written into the EphemeralRunnerSet in place and
 * the listener keeps running; ARC deletes the listener and waits for runners to drain, which never happens with
 * warm idle runners (#4432). While the listener fails, the scale set is checked; one the service deleted is made
 * again by name, and the listener and runners follow the new id.
 */
public final class AutoscalingRunnerSetReconciler {

    private final ControllerContext ctx;
    private final RunnerSetTearDown tearDown;

    public AutoscalingRunnerSetReconciler(ControllerContext ctx) {
        this.ctx = ctx;
        this.tearDown = new RunnerSetTearDown(ctx);
    }

    public void reconcile(AutoscalingRunnerSet ars) throws Exception {
        String ns = ars.getMetadata().getNamespace();
        String name = ars.getMetadata().getName();
        AutoscalingRunnerSet.Spec spec = ars.getSpec();
        if (Finalizers.terminating(ars)) {
            // with a listener, the listener pass tears down (and releases the finalizer); without, this does
            if (!ctx.cluster().exists(AutoscalingListener.class, ctx.settings().controllerNamespace(), listenerName(ars))) {
                tearDown.step(ns, name, Optional.of(ars), Optional.empty());
            }
            return;
        }
        Optional<String> token = ctx.secretValue(ns, spec.githubConfigSecret, "github_token");
        if (token.isEmpty()) {
            ctx.emit("config-secret-missing", "autoscalingRunnerSet", ns + "/" + name, "secret", spec.githubConfigSecret);
            return;
        }
        ActionsClient client = ctx.service().client(spec.githubConfigUrl, token.get());
        Map<String, String> annotations = annotations(ars);
        String scaleSetName = scaleSetName(ars);
        if (!annotations.containsKey(Labels.SCALE_SET_ID)) {
            int group = client.runnerGroupId(spec.runnerGroup);
            JsonNode scaleSet = client.getScaleSetByName(group, scaleSetName).orElse(null);
            if (scaleSet == null) {
                scaleSet = client.createScaleSet(scaleSetName, group, spec.runnerScaleSetLabels == null ? List.of() : spec.runnerScaleSetLabels);
                ctx.emit("scale-set-created", "name", scaleSetName, "id", scaleSet.path("id").asLong());
            }
            annotations.put(Labels.SCALE_SET_ID, Long.toString(scaleSet.path("id").asLong()));
            annotations.put(Labels.SCALE_SET_NAME, scaleSetName);
            annotations.put(Labels.RUNNER_GROUP, spec.runnerGroup == null || spec.runnerGroup.isBlank() ? "Default" : spec.runnerGroup);
            ars.getMetadata().setAnnotations(annotations);
            Finalizers.hold(ars, Finalizers.RUNNER_SET);
            ctx.cluster().update(ars);
            return;  // the next pass works from the written annotation
        }
        if (!Finalizers.holds(ars, Finalizers.RUNNER_SET)) {
            Finalizers.hold(ars, Finalizers.RUNNER_SET);   // made by an arcsim before finalizers
            ctx.cluster().update(ars);
            return;
        }
        long scaleSetId = Long.parseLong(annotations.get(Labels.SCALE_SET_ID));
        if (listenerFailing(ars) && verifyDue(ns + "/" + name) && client.getScaleSetById(scaleSetId).isEmpty()) {
            // The service deleted it (#3935, #4370): an id never comes back, so make or find one by name again.
            annotations.remove(Labels.SCALE_SET_ID);
            ars.getMetadata().setAnnotations(annotations);
            ctx.cluster().update(ars);
            ctx.emit("scale-set-lost", "name", scaleSetName, "id", scaleSetId);
            return;
        }

        EphemeralRunnerSet ers = ensureRunnerSet(ars, scaleSetId);
        ensureListener(ars, scaleSetId, scaleSetName);

        AutoscalingRunnerSet.Status status = new AutoscalingRunnerSet.Status();
        status.phase = "Running";
        if (ers != null && ers.getStatus() != null) {
            status.currentRunners = ers.getStatus().currentReplicas;
            status.pendingEphemeralRunners = ers.getStatus().pendingEphemeralRunners;
            status.runningEphemeralRunners = ers.getStatus().runningEphemeralRunners;
            status.failedEphemeralRunners = ers.getStatus().failedEphemeralRunners;
        }
        if (!Serialization.asJson(status).equals(Serialization.asJson(ars.getStatus()))) {
            ars.setStatus(status);
            ctx.cluster().updateStatus(ars);
        }
    }

    /** When the listener last failed, the scale set is checked, at most every {@link #VERIFY_EVERY} per runner set. */
    static final java.time.Duration VERIFY_EVERY = java.time.Duration.ofSeconds(2);
    private final Map<String, java.time.Instant> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean listenerFailing(AutoscalingRunnerSet ars) {
        return ctx.cluster().get(AutoscalingListener.class, ctx.settings().controllerNamespace(), listenerName(ars))
                .map(al -> al.getStatus() != null && al.getStatus().failures != null && al.getStatus().failures > 0)
                .orElse(false);
    }

    private boolean verifyDue(String key) {
        java.time.Instant now = ctx.now();
        java.time.Instant last = verified.get(key);
        if (last != null && now.isBefore(last.plus(VERIFY_EVERY))) {
            return false;
        }
        verified.put(key, now);
        return true;
    }

    private EphemeralRunnerSet ensureRunnerSet(AutoscalingRunnerSet ars, long scaleSetId) {
        String ns = ars.getMetadata().getNamespace();
        String name = ars.getMetadata().getName();
        EphemeralRunner.Spec runnerSpec = new EphemeralRunner.Spec();
        runnerSpec.githubConfigUrl = ars.getSpec().githubConfigUrl;
        runnerSpec.githubConfigSecret = ars.getSpec().githubConfigSecret;
        runnerSpec.runnerScaleSetId = scaleSetId;
        if (ars.getSpec().template != null) {
            runnerSpec.metadata = ars.getSpec().template.getMetadata();
            runnerSpec.spec = ars.getSpec().template.getSpec();
        }
        String hash = hash(Serialization.asJson(runnerSpec));
        Optional<EphemeralRunnerSet> existing = ctx.cluster().get(EphemeralRunnerSet.class, ns, name);
        if (existing.isEmpty()) {
            EphemeralRunnerSet ers = new EphemeralRunnerSet();
            ers.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns)
                    .withLabels(Map.of(Labels.SCALE_SET_LABEL, scaleSetName(ars)))
                    .withAnnotations(Map.of(Labels.SPEC_HASH, hash))
                    .withOwnerReferences(ControllerContext.ownerOf(ars)).build());
            EphemeralRunnerSet.Spec spec = new EphemeralRunnerSet.Spec();
            spec.ephemeralRunnerSpec = runnerSpec;
            ers.setSpec(spec);
            ctx.emit("ephemeral-runner-set-created", "name", ns + "/" + name);
            return ctx.cluster().create(ers);
        }
        EphemeralRunnerSet ers = existing.get();
        if (!hash.equals(annotations(ers).get(Labels.SPEC_HASH))) {
            // In place: the runner-set reconciler replaces idle runners; busy ones finish; the listener stays.
            Map<String, String> a = annotations(ers);
            a.put(Labels.SPEC_HASH, hash);
            ers.getMetadata().setAnnotations(a);
            ers.getSpec().ephemeralRunnerSpec = runnerSpec;
            ctx.emit("runner-spec-updated", "name", ns + "/" + name);
            return ctx.cluster().update(ers);
        }
        return ers;
    }

    private void ensureListener(AutoscalingRunnerSet ars, long scaleSetId, String scaleSetName) {
        String ns = ars.getMetadata().getNamespace();
        String name = listenerName(ars);
        AutoscalingListener.Spec spec = new AutoscalingListener.Spec();
        spec.githubConfigUrl = ars.getSpec().githubConfigUrl;
        spec.githubConfigSecret = ars.getSpec().githubConfigSecret;
        spec.runnerScaleSetId = scaleSetId;
        spec.runnerScaleSetName = scaleSetName;
        spec.autoscalingRunnerSetNamespace = ns;
        spec.autoscalingRunnerSetName = ars.getMetadata().getName();
        spec.ephemeralRunnerSetName = ars.getMetadata().getName();
        spec.minRunners = ars.getSpec().minRunners == null ? 0 : ars.getSpec().minRunners;
        spec.maxRunners = ars.getSpec().maxRunners == null ? Integer.MAX_VALUE : ars.getSpec().maxRunners;
        spec.image = ctx.settings().listenerImage();
        spec.template = ars.getSpec().listenerTemplate;
        Optional<AutoscalingListener> existing = ctx.cluster().get(AutoscalingListener.class, ctx.settings().controllerNamespace(), name);
        if (existing.isEmpty()) {
            AutoscalingListener al = new AutoscalingListener();
            al.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ctx.settings().controllerNamespace())
                    .withLabels(Map.of(Labels.ARS_NAMESPACE, ns, Labels.ARS_NAME, ars.getMetadata().getName(),
                            Labels.SCALE_SET_LABEL, scaleSetName)).build());
            al.setSpec(spec);
            ctx.cluster().create(al);
            ctx.emit("listener-created", "name", name);
        } else if (!Serialization.asJson(spec).equals(Serialization.asJson(existing.get().getSpec()))) {
            AutoscalingListener al = existing.get();
            al.setSpec(spec);
            ctx.cluster().update(al);   // its reconciler rolls the pod when the config changes
        }
    }

    /** ARC: {@code <ars>-<fnv8(namespace@runnerGroup@configURL)>-listener} (CONTROLLER.md §B.2 step 9). */
    public static String listenerName(AutoscalingRunnerSet ars) {
        String key = ars.getMetadata().getNamespace() + "@" + Objects.toString(ars.getSpec().runnerGroup, "") + "@"
                + ars.getSpec().githubConfigUrl;
        int h = 0x811c9dc5;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return ars.getMetadata().getName() + "-" + String.format("%08x", h) + "-listener";
    }

    static String scaleSetName(AutoscalingRunnerSet ars) {
        String n = ars.getSpec().runnerScaleSetName;
        return n == null || n.isBlank() ? ars.getMetadata().getName() : n;
    }

    static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? new LinkedHashMap<>() : new LinkedHashMap<>(a);
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
