package dev.arcsim.sim;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.listener.scaling.RunnerSets;

import java.io.IOException;

/**
 * The listener's two writes to the cluster, on a {@link Cluster}: the replicas merge patch of the EphemeralRunnerSet
 * and the job a runner started on its EphemeralRunner's status. A merge patch carries no resource version, so it
 * wins over concurrent writes, as on an API server.
 */
public final class ClusterRunnerSets implements RunnerSets {

    private final Cluster cluster;

    public ClusterRunnerSets(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void patchReplicas(String namespace, String name, int replicas, int patchId) throws IOException {
        EphemeralRunnerSet ers = cluster.get(EphemeralRunnerSet.class, namespace, name)
                .orElseThrow(() -> new IOException("patch EphemeralRunnerSet " + namespace + "/" + name + ": 404 not found"));
        ers.getSpec().replicas = replicas == 0 ? null : replicas;   // the merge patch writes null for 0
        ers.getSpec().patchID = patchId;
        ers.getMetadata().setResourceVersion(null);
        try {
            cluster.update(ers);
        } catch (RuntimeException e) {
            throw new IOException("patch EphemeralRunnerSet " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) throws IOException {
        try {
            return patch(namespace, runnerName, job);
        } catch (RuntimeException e) {
            throw new IOException("patch EphemeralRunner " + namespace + "/" + runnerName + " status: " + e.getMessage(), e);
        }
    }

    private boolean patch(String namespace, String runnerName, StartedJob job) {
        return cluster.get(EphemeralRunner.class, namespace, runnerName).map(er -> {
            EphemeralRunner.Status s = er.getStatus() == null ? new EphemeralRunner.Status() : er.getStatus();
            s.jobRequestId = job.jobRequestId();
            s.jobRepositoryName = job.jobRepositoryName();
            s.jobId = job.jobId();
            s.workflowRunId = job.workflowRunId();
            s.jobWorkflowRef = job.jobWorkflowRef();
            s.jobDisplayName = job.jobDisplayName();
            er.setStatus(s);
            er.getMetadata().setResourceVersion(null);
            cluster.updateStatus(er);
            return true;
        }).orElse(false);
    }
}
