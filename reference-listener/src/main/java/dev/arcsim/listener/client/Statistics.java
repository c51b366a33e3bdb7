package dev.arcsim.listener.client;

/** {@code RunnerScaleSetStatistic} (PROTOCOL.md §2.3). Only totalAssignedJobs drives scaling. */
public record Statistics(int totalAvailableJobs, int totalAcquiredJobs, int totalAssignedJobs, int totalRunningJobs,
                         int totalRegisteredRunners, int totalBusyRunners, int totalIdleRunners) {
}
