package dev.arcsim.fake.state;

import java.time.Instant;
import java.util.List;

/**
 * One job message as the service put it in a scale set's queue: the job as it was when the message was made.
 * Times that have not happened are null (the wire writes Go's zero time for them).
 *
 * @param type {@code JobAvailable}, {@code JobAssigned}, {@code JobStarted} or {@code JobCompleted}
 */
public record JobMessage(
        String type,
        long runnerRequestId,
        String jobId,
        String ownerName,
        String repositoryName,
        String jobWorkflowRef,
        String jobDisplayName,
        long workflowRunId,
        String eventName,
        List<String> requestLabels,
        Instant queueTime,
        Instant scaleSetAssignTime,
        Instant runnerAssignTime,
        Instant finishTime,
        long scaleSetId,
        Long runnerId,
        String runnerName,
        String result) {

    public static final String JOB_AVAILABLE = "JobAvailable";
    public static final String JOB_ASSIGNED = "JobAssigned";
    public static final String JOB_STARTED = "JobStarted";
    public static final String JOB_COMPLETED = "JobCompleted";
}
