package dev.arcsim.listener.scaling;

import java.io.IOException;

/**
 * The Kubernetes side of the listener, and all of it: patch the EphemeralRunnerSet's replicas and patch id, and
 * record a started job on its EphemeralRunner. The fabric8 implementation talks to a cluster; a simulated world
 * supplies an in-memory one. No Kubernetes types leak into the loop.
 */
public interface RunnerSets {

    /** Merge patch {@code {"spec":{"patchID":P,"replicas":N}}}, with {@code "replicas":null} for 0 (PROTOCOL.md §4.6). */
    void patchReplicas(String namespace, String name, int replicas, int patchId) throws IOException;

    /** The job a runner started, as the EphemeralRunner status records it; false when the runner does not exist. */
    boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) throws IOException;

    record StartedJob(long jobRequestId, String jobRepositoryName, String jobId, long workflowRunId,
                      String jobWorkflowRef, String jobDisplayName) {
    }

    /** The merge patch body for a replicas patch. */
    static String replicasPatch(int replicas, int patchId) {
        return "{\"spec\":{\"patchID\":" + patchId + ",\"replicas\":" + (replicas == 0 ? "null" : replicas) + "}}";
    }
}
