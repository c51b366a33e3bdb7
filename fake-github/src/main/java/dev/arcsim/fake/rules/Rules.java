package dev.arcsim.fake.rules;

import java.time.Duration;

/**
 * The service's API rules: the behaviours a real server-side change could alter, replaceable while serving.
 *
 * <p>Defaults follow what is known of the real service (PROTOCOL.md §1.5, §2.1, §6). No server-side session TTL is
 * documented anywhere; the 300 s default sits inside the 4 to 7.5 minute range the evidence in PROTOCOL.md §6 suggests.
 *
 * @param sessionConflict         what a session create meets while another session exists
 * @param orphanSessionTtlSeconds how long a session may go unpolled before the server forgets it
 * @param longPollSeconds         how long a message poll parks before answering 202
 * @param messageQueueTokenTtlSeconds lifetime of a session's message-queue token (401 after it)
 * @param adminTokenTtlSeconds    lifetime of the admin JWT returned by runner-registration (its {@code exp})
 * @param maxJobMessagesPerMessage the most job messages one queue message carries
 * @param evictSessionOnRefresh   a refresh answers 404 RunnerAdminException and drops the session
 * @param scaleSetDeleted         true deletes, when applied, every scale set that exists then (404 RunnerScaleSetNotFound)
 * @param jobReassignments        how many times an assigned job that no runner started is canceled and re-offered
 * @param jobReassignAfterSeconds how long an assigned job waits for a runner before such a cancel
 */
public record Rules(
        SessionConflict sessionConflict,
        long orphanSessionTtlSeconds,
        long longPollSeconds,
        long messageQueueTokenTtlSeconds,
        long adminTokenTtlSeconds,
        int maxJobMessagesPerMessage,
        boolean evictSessionOnRefresh,
        boolean scaleSetDeleted,
        int jobReassignments,
        long jobReassignAfterSeconds) {

    public static Rules defaults() {
        return new Rules(SessionConflict.STRICT, 300, 50, 3600, 600, 50, false, false, 0, 300);
    }

    public Duration orphanSessionTtl() {
        return Duration.ofSeconds(orphanSessionTtlSeconds);
    }

    public Duration longPoll() {
        return Duration.ofSeconds(longPollSeconds);
    }

    public Duration messageQueueTokenTtl() {
        return Duration.ofSeconds(messageQueueTokenTtlSeconds);
    }

    public Duration adminTokenTtl() {
        return Duration.ofSeconds(adminTokenTtlSeconds);
    }

    public Duration jobReassignAfter() {
        return Duration.ofSeconds(jobReassignAfterSeconds);
    }
}
