package dev.arcsim.fake.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Read-only snapshots of the service state, for the wire layer, the admin API and tests. */
public final class Views {

    private Views() {
    }

    public record Label(String type, String name) {
    }

    /** A runner scale set as the service stores it; {@code runnerSetting} keeps whatever the client sent. */
    public record ScaleSetView(long id, int tenantId, String name, int runnerGroupId, String runnerGroupName,
                               List<Label> labels, Map<String, Object> runnerSetting, Instant createdOn,
                               Statistics statistics) {
    }

    public record RunnerGroupView(int id, String name, boolean isDefaultGroup, int size) {
    }

    /** A message session; the token is here for the wire layer only and must never be logged. */
    public record SessionView(String sessionId, String ownerName, ScaleSetView scaleSet, String messageQueueAccessToken,
                              Instant tokenExpiresAt, Instant createdAt, Instant lastSeen, int pollsInFlight,
                              Integer maxCapacity, Statistics statistics) {
    }

    public enum RunnerState { CONFIGURED, IDLE, BUSY }

    public record RunnerView(long id, String name, long scaleSetId, int tenantId, RunnerState state, Long jobRequestId) {
    }

    public record JitConfig(RunnerView runner, String runnerToken) {
    }

    /** @param starts how many times a runner started the job: more than 1 means it ran twice */
    public record JobView(long runnerRequestId, String jobId, String scaleSetName, Long scaleSetId, JobState state,
                          long durationSeconds, int reassignments, Long runnerId, String runnerName, String result,
                          Instant queueTime, Instant scaleSetAssignTime, Instant runnerAssignTime, Instant finishTime,
                          int starts) {
    }

    /** What a runner needs to run its job. */
    public record RunnerJob(long runnerRequestId, String jobId, String jobDisplayName, long durationSeconds) {
    }

    public record Snapshot(Instant now, List<TenantView> tenants, List<ScaleSetView> scaleSets,
                           List<SessionSummary> sessions, List<RunnerView> runners, List<JobView> jobs,
                           Map<String, Integer> jobsByState, long runnersFinished, long jobsRetired) {
    }

    public record TenantView(int id, String kind, String key) {
    }

    /** A session without its token, for the admin API. */
    public record SessionSummary(String sessionId, long scaleSetId, String ownerName, Instant createdAt,
                                 Instant lastSeen, int pollsInFlight, Integer maxCapacity, Instant tokenExpiresAt) {
    }
}
