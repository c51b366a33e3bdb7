package dev.arcsim.controller.reconcile;

import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ApiException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * EphemeralRunnerSet (CONTROLLER.md §B.5): runners up to {@code replicas}, with ARC's patchID rule. It acts only
 * when patchID is 0 or differs from the newest runner's patch-id annotation; new runners carry the current patchID,
 * so status events between patches never create runners twice (#3371). It scales down only on patchID 0, removing
 * idle registered runners, pending first, oldest first. Idle runners built from an old runner spec are replaced.
 */
public final class EphemeralRunnerSetReconciler {

    private final ControllerContext ctx;

    public EphemeralRunnerSetReconciler(ControllerContext ctx) {
        this.ctx = ctx;
    }

    public static List<EphemeralRunner> runnersOf(ControllerContext ctx, String namespace, String ersName) {
        return ctx.cluster().list(EphemeralRunner.class, namespace).stream()
                .filter(er -> ersName.equals(labels(er).get(Labels.ERS_NAME))).toList();
    }

    public void reconcile(EphemeralRunnerSet ers) throws Exception {
        String ns = ers.getMetadata().getNamespace();
        String name = ers.getMetadata().getName();
        List<EphemeralRunner> runners = runnersOf(ctx, ns, name);
        List<EphemeralRunner> pending = new ArrayList<>();
        List<EphemeralRunner> running = new ArrayList<>();
        List<EphemeralRunner> failed = new ArrayList<>();
        List<EphemeralRunner> finished = new ArrayList<>();
        int latestPatchId = 0;
        for (EphemeralRunner er : runners) {
            latestPatchId = Math.max(latestPatchId, patchIdOf(er));
            if (er.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String phase = er.getStatus() == null ? null : er.getStatus().phase;
            if (phase == null || phase.equals("Pending")) {
                pending.add(er);
            } else if (phase.equals("Running")) {
                running.add(er);
            } else if (phase.equals("Failed")) {
                failed.add(er);
            } else {
                finished.add(er);
            }
        }
        int total = pending.size() + running.size() + failed.size();
        int replicas = ers.getSpec().replicasOrZero();
        int patchId = ers.getSpec().patchID;

        replaceOutdatedIdle(ers, pending, running);
        if (patchId == 0 || patchId != latestPatchId) {
            for (EphemeralRunner er : finished) {
                ctx.deleteRunner(er);
            }
            if (total < replicas) {
                for (int i = 0; i < replicas - total; i++) {
                    create(ers, patchId);
                }
                ctx.emit("runners-created", "ephemeralRunnerSet", name, "count", replicas - total, "patchId", patchId);
            } else if (patchId == 0 && total > replicas) {
                scaleDown(ers, pending, running, total - replicas);
            }
        }
        EphemeralRunnerSet.Status status = new EphemeralRunnerSet.Status();
        status.currentReplicas = total;
        status.pendingEphemeralRunners = pending.size();
        status.runningEphemeralRunners = running.size();
        status.failedEphemeralRunners = failed.size();
        status.phase = "Running";
        if (!Serialization.asJson(status).equals(Serialization.asJson(ers.getStatus()))) {
            ers.setStatus(status);
            ctx.cluster().updateStatus(ers);
        }
    }

    private void create(EphemeralRunnerSet ers, int patchId) {
        EphemeralRunner er = new EphemeralRunner();
        String name = ers.getMetadata().getName() + "-runner-" + ctx.suffix();
        er.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ers.getMetadata().getNamespace())
                .withLabels(Map.of(Labels.ERS_NAME, ers.getMetadata().getName(), Labels.COMPONENT, Labels.RUNNER_COMPONENT))
                .withAnnotations(Map.of(EphemeralRunner.PATCH_ID_ANNOTATION, Integer.toString(patchId),
                        Labels.SPEC_HASH, Objects.toString(AutoscalingRunnerSetReconciler.annotations(ers).get(Labels.SPEC_HASH), "")))
                .withOwnerReferences(ControllerContext.ownerOf(ers)).withFinalizers(Finalizers.RUNNER).build());
        er.setSpec(Serialization.clone(ers.getSpec().ephemeralRunnerSpec));
        ctx.cluster().create(er);
    }

    /** ARC's scale-down: idle, registered runners only, pending before running, oldest first. */
    private void scaleDown(EphemeralRunnerSet ers, List<EphemeralRunner> pending, List<EphemeralRunner> running, int count)
            throws Exception {
        List<EphemeralRunner> candidates = new ArrayList<>();
        Comparator<EphemeralRunner> oldest = Comparator.comparing(er -> Objects.toString(er.getMetadata().getCreationTimestamp(), ""));
        pending.stream().sorted(oldest).forEach(candidates::add);
        running.stream().sorted(oldest).forEach(candidates::add);
        int removed = 0;
        for (EphemeralRunner er : candidates) {
            if (removed == count) {
                break;
            }
            if (er.getStatus() == null || er.getStatus().runnerId == null || er.getStatus().runnerId == 0 || er.getStatus().hasJob()) {
                continue;
            }
            if (deregister(ctx, er)) {
                ctx.deleteRunner(er);
                removed++;
            }
        }
        if (removed > 0) {
            ctx.emit("runners-removed", "ephemeralRunnerSet", ers.getMetadata().getName(), "count", removed);
        }
    }

    /** A changed runner spec: idle runners made from the old one are replaced; busy ones finish their job first. */
    private void replaceOutdatedIdle(EphemeralRunnerSet ers, List<EphemeralRunner> pending, List<EphemeralRunner> running)
            throws Exception {
        String current = AutoscalingRunnerSetReconciler.annotations(ers).get(Labels.SPEC_HASH);
        if (current == null) {
            return;
        }
        List<EphemeralRunner> idle = new ArrayList<>(pending);
        idle.addAll(running);
        for (EphemeralRunner er : idle) {
            String made = AutoscalingRunnerSetReconciler.annotations(er).get(Labels.SPEC_HASH);
            boolean outdated = made != null && !made.isEmpty() && !made.equals(current);
            boolean busy = er.getStatus() != null && er.getStatus().hasJob();
            if (outdated && !busy && deregister(ctx, er)) {
                ctx.deleteRunner(er);
                pending.remove(er);
                running.remove(er);
                ctx.emit("runner-replaced", "runner", er.getMetadata().getName(), "reason", "runner spec changed");
            }
        }
    }

    /** RemoveRunner; false while the runner still runs a job (400 JobStillRunningException). */
    public static boolean deregister(ControllerContext ctx, EphemeralRunner er) throws Exception {
        Long runnerId = er.getStatus() == null ? null : er.getStatus().runnerId;
        if (runnerId == null || runnerId == 0) {
            return true;
        }
        Optional<String> token = ctx.secretValue(er.getMetadata().getNamespace(), er.getSpec().githubConfigSecret, "github_token");
        if (token.isEmpty()) {
            return true;
        }
        ActionsClient client = ctx.service().client(er.getSpec().githubConfigUrl, token.get());
        try {
            client.removeRunner(runnerId);
            return true;
        } catch (ApiException e) {
            if (e.is("JobStillRunningException")) {
                return false;
            }
            throw e;
        }
    }

    static int patchIdOf(EphemeralRunner er) {
        String v = AutoscalingRunnerSetReconciler.annotations(er).get(EphemeralRunner.PATCH_ID_ANNOTATION);
        try {
            return v == null ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, String> labels(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }
}
