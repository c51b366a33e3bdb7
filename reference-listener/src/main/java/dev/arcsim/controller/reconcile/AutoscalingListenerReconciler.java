package dev.arcsim.controller.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.controller.crd.AutoscalingListener;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * AutoscalingListener (CONTROLLER.md §B.3): the listener's config Secret (ARC's config.json), ServiceAccount, Role,
 * RoleBinding and pod. Unlike ARC, a listener pod that ends (exit, eviction, node loss) is recreated after an
 * exponential backoff (or at once, as ARC does, with {@link ControllerContext.ListenerRestarts#AT_ONCE}), and the failure count, last exit code and next attempt are in the status (ARC #4656); a pod
 * that has run cleanly for a minute clears the count.
 */
public final class AutoscalingListenerReconciler {

    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofMinutes(2);
    public static final Duration STABLE_AFTER = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ControllerContext ctx;

    public AutoscalingListenerReconciler(ControllerContext ctx) {
        this.ctx = ctx;
    }

    public void reconcile(AutoscalingListener al) {
        AutoscalingListener.Spec spec = al.getSpec();
        String ns = al.getMetadata().getNamespace();
        String name = al.getMetadata().getName();
        Optional<String> token = ctx.secretValue(spec.autoscalingRunnerSetNamespace, spec.githubConfigSecret, "github_token");
        if (token.isEmpty()) {
            return;
        }
        String config = configJson(spec, token.get());
        String hash = AutoscalingRunnerSetReconciler.hash(config + Serialization.asJson(spec.template));
        ensureConfigSecret(al, config);
        ensureRbac(al);

        Optional<Pod> pod = ctx.cluster().get(Pod.class, ns, name);
        AutoscalingListener.Status status = al.getStatus() == null ? new AutoscalingListener.Status() : al.getStatus();
        if (pod.isEmpty()) {
            if (status.nextAttemptTime != null && ctx.now().isBefore(Instant.parse(status.nextAttemptTime))) {
                return;  // backing off
            }
            ctx.cluster().create(listenerPod(al, hash));
            ctx.emit("listener-pod-created", "name", name, "failures", status.failures == null ? 0 : status.failures);
            return;
        }
        Pod p = pod.get();
        if (!hash.equals(AutoscalingRunnerSetReconciler.annotations(p).get(Labels.CONFIG_HASH))) {
            ctx.cluster().delete(Pod.class, ns, name);   // config changed: roll it, not a failure
            ctx.emit("listener-pod-rolled", "name", name);
            return;
        }
        String ended = endedReason(p);
        if (ended != null) {
            Instant now = ctx.now();
            int failures = (status.failures == null ? 0 : status.failures) + 1;
            status.failures = failures;
            status.restarts = (status.restarts == null ? 0 : status.restarts) + 1;
            status.lastExitCode = exitCode(p);
            status.lastFailureReason = ended;
            status.lastFailureTime = now.toString();
            Duration wait = ctx.settings().listenerRestarts().delay(failures);
            status.nextAttemptTime = now.plus(wait).toString();
            al.setStatus(status);
            ctx.cluster().updateStatus(al);
            ctx.cluster().delete(Pod.class, ns, name);
            ctx.emit("listener-pod-failed", "name", name, "reason", ended, "exitCode", status.lastExitCode,
                    "failures", failures, "backoffMs", wait.toMillis());
            return;
        }
        if ("Running".equals(phase(p)) && status.failures != null && status.failures > 0 && runningSince(p)
                .map(t -> !ctx.now().isBefore(t.plus(STABLE_AFTER))).orElse(false)) {
            status.failures = 0;
            status.nextAttemptTime = null;
            al.setStatus(status);
            ctx.cluster().updateStatus(al);
        }
    }

    /** 1 s, 2 s, 4 s … capped at 2 min, from the number of failures in a row. */
    public static Duration backoff(int failures) {
        long ms = BACKOFF_BASE.toMillis() << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(ms, BACKOFF_CAP.toMillis()));
    }

    /** Why the pod is over, or null while it is not: exited, failed, evicted, or its node is lost. */
    static String endedReason(Pod p) {
        if (p.getStatus() == null) {
            return null;
        }
        String reason = p.getStatus().getReason();
        if ("Evicted".equals(reason) || "NodeLost".equals(reason)) {
            return reason;
        }
        if ("Failed".equals(phase(p)) || "Succeeded".equals(phase(p))) {
            return "Exited";
        }
        for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
            if (cs.getState() != null && cs.getState().getTerminated() != null) {
                return "Exited";
            }
        }
        return null;
    }

    static Integer exitCode(Pod p) {
        if (p.getStatus() == null) {
            return null;
        }
        return p.getStatus().getContainerStatuses().stream()
                .filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
                .map(cs -> cs.getState().getTerminated().getExitCode()).findFirst().orElse(null);
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static Optional<Instant> runningSince(Pod p) {
        return p.getStatus().getContainerStatuses().stream()
                .filter(cs -> cs.getState() != null && cs.getState().getRunning() != null && cs.getState().getRunning().getStartedAt() != null)
                .map(cs -> Instant.parse(cs.getState().getRunning().getStartedAt())).findFirst();
    }

    /** ARC's listener config.json (PROTOCOL.md §4.1), as the listener pod reads it. */
    static String configJson(AutoscalingListener.Spec spec, String token) {
        ObjectNode c = JSON.createObjectNode()
                .put("configure_url", spec.githubConfigUrl)
                .put("github_token", token)
                .put("ephemeral_runner_set_namespace", spec.autoscalingRunnerSetNamespace)
                .put("ephemeral_runner_set_name", spec.ephemeralRunnerSetName)
                .put("max_runners", spec.maxRunners)
                .put("min_runners", spec.minRunners)
                .put("runner_scale_set_id", spec.runnerScaleSetId)
                .put("runner_scale_set_name", spec.runnerScaleSetName)
                .put("log_level", "info")
                .put("log_format", "text")
                .put("metrics_addr", "")
                .put("metrics_endpoint", "/metrics");
        return c.toString();
    }

    public static String configSecretName(String listenerName) {
        return listenerName + "-config";
    }

    private void ensureConfigSecret(AutoscalingListener al, String config) {
        String ns = al.getMetadata().getNamespace();
        String name = configSecretName(al.getMetadata().getName());
        Optional<Secret> existing = ctx.cluster().get(Secret.class, ns, name);
        Map<String, String> data = Map.of("config.json", ControllerContext.encode(config));
        if (existing.isEmpty()) {
            ctx.cluster().create(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns)
                    .withOwnerReferences(ControllerContext.ownerOf(al)).build()).withData(data).build());
        } else if (!data.equals(existing.get().getData())) {
            Secret s = existing.get();
            s.setData(data);
            ctx.cluster().update(s);
        }
    }

    private void ensureRbac(AutoscalingListener al) {
        String name = al.getMetadata().getName();
        String controllerNs = al.getMetadata().getNamespace();
        String runnerNs = al.getSpec().autoscalingRunnerSetNamespace;
        if (ctx.cluster().get(ServiceAccount.class, controllerNs, name).isEmpty()) {
            ctx.cluster().create(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(controllerNs)
                    .endMetadata().build());
        }
        if (ctx.cluster().get(Role.class, runnerNs, name).isEmpty()) {
            ctx.cluster().create(new RoleBuilder().withNewMetadata().withName(name).withNamespace(runnerNs).endMetadata()
                    .withRules(new PolicyRuleBuilder().withApiGroups("actions.github.com").withResources("ephemeralrunnersets")
                                    .withResourceNames(al.getSpec().ephemeralRunnerSetName).withVerbs("patch").build(),
                            new PolicyRuleBuilder().withApiGroups("actions.github.com")
                                    .withResources("ephemeralrunners", "ephemeralrunners/status").withVerbs("patch").build(),
                            new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                                    .withVerbs("get", "create", "update", "delete").build())
                    .build());
        }
        if (ctx.cluster().get(RoleBinding.class, runnerNs, name).isEmpty()) {
            ctx.cluster().create(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(runnerNs).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                    .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(controllerNs).endSubject()
                    .build());
        }
    }

    private Pod listenerPod(AutoscalingListener al, String hash) {
        String name = al.getMetadata().getName();
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(al.getMetadata().getNamespace())
                .withLabels(Map.of(Labels.COMPONENT, Labels.LISTENER_COMPONENT,
                        Labels.SCALE_SET_LABEL, al.getSpec().runnerScaleSetName))
                .withAnnotations(Map.of(Labels.CONFIG_HASH, hash))
                .withOwnerReferences(ControllerContext.ownerOf(al)).endMetadata()
                .withNewSpec().withServiceAccountName(name).withRestartPolicy("Never").withTerminationGracePeriodSeconds(60L)
                .addNewContainer().withName("listener").withImage(al.getSpec().image).withCommand(ctx.settings().listenerCommand())
                .addNewEnv().withName("LISTENER_CONFIG_PATH").withValue("/etc/gha-listener/config.json").endEnv()
                .addNewVolumeMount().withName("listener-config").withMountPath("/etc/gha-listener").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("listener-config").withNewSecret().withSecretName(configSecretName(name)).endSecret().endVolume()
                .endSpec().build();
    }
}
