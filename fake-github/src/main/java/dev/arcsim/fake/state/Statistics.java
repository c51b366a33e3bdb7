package dev.arcsim.fake.state;

/**
 * A scale set's statistics, as the service attaches them to every session and message (PROTOCOL.md §2.3).
 * Assigned counts started jobs too ("TotalAssignedJobs >= TotalRunningJobs").
 */
public record Statistics(
        int totalAvailableJobs,
        int totalAcquiredJobs,
        int totalAssignedJobs,
        int totalRunningJobs,
        int totalRegisteredRunners,
        int totalBusyRunners,
        int totalIdleRunners) {

    public static final Statistics EMPTY = new Statistics(0, 0, 0, 0, 0, 0, 0);
}
