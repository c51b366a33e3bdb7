package dev.arcsim.listener.scaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.io.IOException;

/** {@link RunnerSets} through fabric8, on ARC's CRDs (actions.github.com/v1alpha1), as generic resources. */
public final class Fabric8RunnerSets implements RunnerSets {

    public static final ResourceDefinitionContext EPHEMERAL_RUNNER_SETS = new ResourceDefinitionContext.Builder()
            .withGroup("actions.github.com").withVersion("v1alpha1").withKind("EphemeralRunnerSet")
            .withPlural("ephemeralrunnersets").withNamespaced(true).build();
    public static final ResourceDefinitionContext EPHEMERAL_RUNNERS = new ResourceDefinitionContext.Builder()
            .withGroup("actions.github.com").withVersion("v1alpha1").withKind("EphemeralRunner")
            .withPlural("ephemeralrunners").withNamespaced(true).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;

    public Fabric8RunnerSets(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void patchReplicas(String namespace, String name, int replicas, int patchId) throws IOException {
        try {
            client.genericKubernetesResources(EPHEMERAL_RUNNER_SETS).inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), RunnerSets.replicasPatch(replicas, patchId));
        } catch (KubernetesClientException e) {
            throw failure("patch EphemeralRunnerSet " + namespace + "/" + name, e);
        }
    }

    @Override
    public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) throws IOException {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("status")
                .put("jobRequestId", job.jobRequestId())
                .put("jobRepositoryName", job.jobRepositoryName())
                .put("jobId", job.jobId())
                .put("workflowRunId", job.workflowRunId())
                .put("jobWorkflowRef", job.jobWorkflowRef())
                .put("jobDisplayName", job.jobDisplayName());
        try {
            GenericKubernetesResource patched = client.genericKubernetesResources(EPHEMERAL_RUNNERS).inNamespace(namespace)
                    .withName(runnerName).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), status.toString());
            return patched != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw failure("patch EphemeralRunner " + namespace + "/" + runnerName + " status", e);
        }
    }

    /**
     * fabric8 wraps an interrupt (a stopping listener) in a KubernetesClientException with no status: give the
     * interrupt back to the thread, so the retry's wait ends the loop as a stop.
     */
    static IOException failure(String what, KubernetesClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return new java.io.InterruptedIOException(what + ": interrupted");
            }
        }
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return new IOException(what + ": " + e.getCode() + " " + detail, e);
    }
}
