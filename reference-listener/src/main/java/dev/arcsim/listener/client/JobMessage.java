package dev.arcsim.listener.client;

import java.time.Instant;
import java.util.List;

/** One element of a message body, by its {@code messageType} (PROTOCOL.md §2.2). */
public sealed interface JobMessage {

    /** The fields every job message has. Zero times (Go's zero value) are null. */
    record Job(long runnerRequestId, String repositoryName, String ownerName, String jobId, String jobWorkflowRef,
               String jobDisplayName, long workflowRunId, String eventName, List<String> requestLabels,
               Instant queueTime, Instant scaleSetAssignTime, Instant runnerAssignTime, Instant finishTime) {
    }

    Job job();

    record JobAvailable(Job job, String acquireJobUrl) implements JobMessage {
    }

    record JobAssigned(Job job) implements JobMessage {
    }

    record JobStarted(Job job, long runnerId, String runnerName) implements JobMessage {
    }

    record JobCompleted(Job job, long runnerId, String runnerName, String result) implements JobMessage {
    }
}
