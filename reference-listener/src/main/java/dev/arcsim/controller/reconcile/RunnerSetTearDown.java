package dev.arcsim.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.listener.client.ApiException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.util.Map;
import java.util.Optional;

/**
 * Removing what a runner set made, in ARC's order (CONTROLLER.md §B.7), one step per call so that each step sees
 * the cluster as the last one left it: the EphemeralRunnerSet, so no runner is made again; its runners, which the
 * runner pass deregisters and removes; the listener pod (SIGTERM: the listener deletes its session); the scale set
 * in the service; the listener's Secret, RBAC and the AutoscalingListener; last, the runner set's finalizer.
 *
 * <p>It runs for a runner set that is terminating (held by {@link Finalizers#RUNNER_SET}) and for one that is
 * already gone (made before the finalizer, or the finalizer taken off by hand), where only the listener is left
 * to say what there was.
 */
public final class RunnerSetTearDown {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ControllerContext ctx;

    public RunnerSetTearDown(ControllerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Takes the next step; after the last one the runner set's finalizer is released (or, gone already, nothing is left).
     *
     * @param runnerSet the terminating runner set, or empty when it is gone
     * @param listener  its listener, when there is one
     */
    public void step(String runnerNamespace, String runnerSetName, Optional<AutoscalingRunnerSet> runnerSet,
                     Optional<AutoscalingListener> listener) throws Exception {
        if (ctx.cluster().exists(EphemeralRunnerSet.class, runnerNamespace, runnerSetName)) {
            ctx.cluster().delete(EphemeralRunnerSet.class, runnerNamespace, runnerSetName);
            return;
        }
        if (!EphemeralRunnerSetReconciler.runnersOf(ctx, runnerNamespace, runnerSetName).isEmpty()) {
            return;  // the runner pass is deregistering them
        }
        if (listener.isPresent()) {
            String ns = listener.get().getMetadata().getNamespace();
            String name = listener.get().getMetadata().getName();
            if (ctx.cluster().exists(Pod.class, ns, name)) {
                ctx.cluster().delete(Pod.class, ns, name);   // SIGTERM: the listener deletes its session
                return;
            }
        }
        deleteScaleSet(runnerSet, listener);
        if (listener.isPresent()) {
            AutoscalingListener al = listener.get();
            String ns = al.getMetadata().getNamespace();
            String name = al.getMetadata().getName();
            ctx.cluster().delete(Secret.class, ns, AutoscalingListenerReconciler.configSecretName(name));
            ctx.cluster().delete(RoleBinding.class, runnerNamespace, name);
            ctx.cluster().delete(Role.class, runnerNamespace, name);
            ctx.cluster().delete(ServiceAccount.class, ns, name);
            ctx.cluster().delete(AutoscalingListener.class, ns, name);
            ctx.emit("listener-removed", "name", name);
        }
        if (runnerSet.isPresent()) {
            Finalizers.release(ctx.cluster(), runnerSet.get(), Finalizers.RUNNER_SET);
            ctx.emit("runner-set-removed", "name", runnerNamespace + "/" + runnerSetName);
        }
    }

    /**
     * The scale set, with the listener's copy of the config (the runner set's Secret may be gone by now) or else the
     * runner set's own; one never made, or already deleted, is no error.
     */
    private void deleteScaleSet(Optional<AutoscalingRunnerSet> runnerSet, Optional<AutoscalingListener> listener) throws Exception {
        String url = null;
        String token = null;
        long id = 0;
        if (listener.isPresent()) {
            AutoscalingListener al = listener.get();
            Optional<String> config = ctx.secretValue(al.getMetadata().getNamespace(),
                    AutoscalingListenerReconciler.configSecretName(al.getMetadata().getName()), "config.json");
            if (config.isPresent()) {
                JsonNode c = JSON.readTree(config.get());
                url = c.path("configure_url").asText();
                token = c.path("github_token").asText();
            }
            id = al.getSpec().runnerScaleSetId;
        }
        if (token == null && runnerSet.isPresent()) {
            AutoscalingRunnerSet ars = runnerSet.get();
            Map<String, String> annotations = AutoscalingRunnerSetReconciler.annotations(ars);
            if (!annotations.containsKey(Labels.SCALE_SET_ID)) {
                return;  // none was made
            }
            id = Long.parseLong(annotations.get(Labels.SCALE_SET_ID));
            url = ars.getSpec().githubConfigUrl;
            token = ctx.secretValue(ars.getMetadata().getNamespace(), ars.getSpec().githubConfigSecret, "github_token").orElse(null);
        }
        if (token == null || id == 0) {
            if (id != 0) {
                ctx.emit("scale-set-left", "id", id, "reason", "no config Secret holds a token to delete it with");
            }
            return;
        }
        try {
            ctx.service().client(url, token).deleteScaleSet(id);
            ctx.emit("scale-set-deleted", "id", id);
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }
}
