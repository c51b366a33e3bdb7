package dev.arcsim.controller.reconcile;

import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ApiException;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EphemeralRunner (CONTROLLER.md §B.6): a JIT config Secret, a pod, and the runner's end. Exit 0 deregisters the
 * runner and removes it; a failure with a job removes it (the job is not retried); a failure without one records
 * the pod in {@code failures} and recreates the pod after 0, 5, 10, 20, 40, 80 s; more than 5 failures and the
 * runner is removed for the set to replace. A taken runner name (AgentExistsException) removes the stale runner of
 * the same scale set and tries again.
 */
public final class EphemeralRunnerReconciler {

    static final List<Duration> FAILURE_BACKOFF = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80));
    static final int MAX_FAILURES = 5;
    public static final String JIT_ENV = "ACTIONS_RUNNER_INPUT_JITCONFIG";

    private final ControllerContext ctx;

    /** Every runner of a set names the same config Secret: within one pass it is read once. */
    private final Map<String, Optional<String>> tokensThisPass = new java.util.HashMap<>();

    public EphemeralRunnerReconciler(ControllerContext ctx) {
        this.ctx = ctx;
    }

    /** A pass over the runners begins: config Secrets are read afresh. */
    public void newPass() {
        tokensThisPass.clear();
    }

    /** How soon a runner waiting on the service (a job still running, its config Secret missing) is looked at again. */
    public static final Duration RETRY = Duration.ofSeconds(2);

    /**
     * Moves the runner one step on. Returns when to look at it again though nothing changes (a backoff running out,
     * the service refusing for now); empty when only a change to it, its pod or its Secret can move it on.
     */
    public Optional<Instant> reconcile(EphemeralRunner er) throws Exception {
        String ns = er.getMetadata().getNamespace();
        String name = er.getMetadata().getName();
        EphemeralRunner.Status status = er.getStatus() == null ? new EphemeralRunner.Status() : er.getStatus();
        Optional<String> token = tokensThisPass.computeIfAbsent(ns + "/" + er.getSpec().githubConfigSecret,
                k -> ctx.secretValue(ns, er.getSpec().githubConfigSecret, "github_token"));
        if (token.isEmpty()) {
            return Optional.of(ctx.now().plus(RETRY));
        }
        ActionsClient client = ctx.service().client(er.getSpec().githubConfigUrl, token.get());
        if (status.done()) {
            return remove(er);
        }
        if (status.failures != null && status.failures.size() > MAX_FAILURES) {
            ctx.emit("runner-gave-up", "runner", name, "failures", status.failures.size());
            return remove(er);
        }

        if (!ctx.cluster().exists(Secret.class, ns, name)) {
            ActionsClient.JitConfig config;
            try {
                config = client.generateJitConfig(er.getSpec().runnerScaleSetId, name, "");
            } catch (ApiException e) {
                if (!e.is("AgentExistsException")) {
                    throw e;
                }
                Optional<long[]> stale = client.runnerByName(name);
                if (stale.isPresent() && stale.get()[1] == er.getSpec().runnerScaleSetId) {
                    client.removeRunner(stale.get()[0]);
                    ctx.emit("stale-runner-removed", "runner", name, "runnerId", stale.get()[0]);
                } else if (stale.isPresent()) {
                    status.phase = "Failed";
                    status.reason = "RunnerExistsInAnotherScaleSet";
                    er.setStatus(status);
                    ctx.cluster().updateStatus(er);
                }
                return Optional.of(ctx.now());  // next pass generates the config again
            }
            Map<String, String> data = new LinkedHashMap<>();
            data.put("jitToken", ControllerContext.encode(config.encodedJitConfig()));
            data.put("runnerName", ControllerContext.encode(config.runnerName()));
            data.put("runnerId", ControllerContext.encode(Long.toString(config.runnerId())));
            data.put("scaleSetId", ControllerContext.encode(Long.toString(er.getSpec().runnerScaleSetId)));
            ctx.cluster().create(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns)
                    .withOwnerReferences(ControllerContext.ownerOf(er)).build()).withData(data).build());
            status.runnerId = config.runnerId();
            status.runnerName = config.runnerName();
            status.phase = status.phase == null ? "Pending" : status.phase;
            er.setStatus(status);
            ctx.cluster().updateStatus(er);
            return Optional.empty();
        }

        Optional<Pod> pod = ctx.cluster().get(Pod.class, ns, name);
        if (pod.isEmpty()) {
            Optional<Instant> next = nextAttempt(status);
            if (next.map(t -> ctx.now().isBefore(t)).orElse(false)) {
                return next;
            }
            ctx.cluster().create(runnerPod(er));
            return Optional.empty();
        }
        Pod p = pod.get();
        Optional<ContainerStateTerminated> ended = terminated(p);
        if (ended.isPresent() || "Failed".equals(phase(p)) || "Succeeded".equals(phase(p))) {
            int code = ended.map(ContainerStateTerminated::getExitCode).orElse("Succeeded".equals(phase(p)) ? 0 : 1);
            if (code == 0) {
                ctx.emit("runner-finished", "runner", name, "runnerId", status.runnerId);
                return remove(er);
            } else if (status.hasJob()) {
                ctx.emit("runner-failed-with-job", "runner", name, "exitCode", code);
                return remove(er);
            } else {
                status.failures = status.failures == null ? new LinkedHashMap<>() : new LinkedHashMap<>(status.failures);
                status.failures.put(p.getMetadata().getUid() == null ? "pod-" + status.failures.size() : p.getMetadata().getUid(),
                        ctx.now().toString());
                status.ready = false;
                status.phase = "Pending";
                status.reason = ended.map(ContainerStateTerminated::getReason).orElse("PodFailed");
                er.setStatus(status);
                ctx.cluster().updateStatus(er);
                ctx.cluster().delete(Pod.class, ns, name);
                ctx.emit("runner-pod-failed", "runner", name, "exitCode", code, "failures", status.failures.size());
            }
            return Optional.empty();
        }
        boolean running = "Running".equals(phase(p));
        String wanted = running ? "Running" : "Pending";
        if (!wanted.equals(status.phase) || !Boolean.valueOf(running).equals(status.ready)) {
            status.phase = wanted;
            status.ready = running;
            er.setStatus(status);
            ctx.cluster().updateStatus(er);
        }
        return Optional.empty();
    }

    /** Deregister (204 even when gone; wait while a job runs), then delete the pod, Secret and runner. */
    private Optional<Instant> remove(EphemeralRunner er) throws Exception {
        if (!EphemeralRunnerSetReconciler.deregister(ctx, er)) {
            return Optional.of(ctx.now().plus(RETRY));  // JobStillRunning: ARC requeues after 30 s
        }
        String ns = er.getMetadata().getNamespace();
        String name = er.getMetadata().getName();
        ctx.cluster().delete(Pod.class, ns, name);
        ctx.cluster().delete(Secret.class, ns, name);
        ctx.deleteRunner(er);
        return Optional.empty();
    }

    private Optional<Instant> nextAttempt(EphemeralRunner.Status status) {
        if (status.failures == null || status.failures.isEmpty()) {
            return Optional.empty();
        }
        Instant last = status.failures.values().stream().map(Instant::parse).max(Instant::compareTo).orElseThrow();
        int index = Math.min(status.failures.size(), FAILURE_BACKOFF.size() - 1);
        return Optional.of(last.plus(FAILURE_BACKOFF.get(index)));
    }

    private Pod runnerPod(EphemeralRunner er) {
        String name = er.getMetadata().getName();
        PodSpec spec = er.getSpec().spec == null
                ? new PodSpecBuilder().addNewContainer().withName("runner").withImage("ghcr.io/actions/actions-runner:latest")
                .withCommand("/home/runner/run.sh").endContainer().build()
                : Serialization.clone(er.getSpec().spec);
        spec.setRestartPolicy("Never");
        spec.getContainers().stream().filter(c -> c.getName().equals("runner")).forEach(c -> {
            c.getEnv().removeIf(e -> e.getName().equals(JIT_ENV));
            c.getEnv().add(new EnvVarBuilder().withName(JIT_ENV).withNewValueFrom().withNewSecretKeyRef()
                    .withName(name).withKey("jitToken").endSecretKeyRef().endValueFrom().build());
        });
        Map<String, String> labels = new LinkedHashMap<>();
        if (er.getSpec().metadata != null && er.getSpec().metadata.getLabels() != null) {
            labels.putAll(er.getSpec().metadata.getLabels());
        }
        labels.put(Labels.COMPONENT, Labels.RUNNER_COMPONENT);
        labels.put(Labels.ERS_NAME, EphemeralRunnerSetReconciler.labels(er).getOrDefault(Labels.ERS_NAME, ""));
        return new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(er.getMetadata().getNamespace())
                .withLabels(labels).withOwnerReferences(ControllerContext.ownerOf(er)).build()).withSpec(spec).build();
    }

    static Optional<ContainerStateTerminated> terminated(Pod p) {
        if (p.getStatus() == null) {
            return Optional.empty();
        }
        for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
            if ("runner".equals(cs.getName()) && cs.getState() != null && cs.getState().getTerminated() != null) {
                return Optional.of(cs.getState().getTerminated());
            }
        }
        return Optional.empty();
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }
}
