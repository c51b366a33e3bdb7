package dev.arcsim.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.check.Verdict;
import dev.arcsim.fake.state.Views.JobView;
import dev.arcsim.history.HistoryEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a run produced, with the keys a scenario's {@code summary.json} has: jobs queued, completed, lost and run
 * twice, pickup latency (queue to runner start), peak runners, listener restarts, 409s and API calls.
 */
public record RunSummary(String scenario, String policy, long seed, String world, String verdict,
                         Map<String, Invariant> invariants, int jobsQueued,
                         int jobsCompleted, int jobsLost, int jobsDuplicated, Double pickupP50Seconds,
                         Double pickupP95Seconds, int runnersPeak, int listenerRestarts, long sessionConflicts,
                         long apiCalls, double durationSeconds) {

    /** One checker's verdict as the summary carries it: the history sequence numbers of its evidence. */
    public record Invariant(boolean ok, String message, List<Long> evidence) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static RunSummary of(String scenario, String policy, long seed, String world, List<JobView> jobs,
                                Map<String, Map<Integer, Long>> requests, int runnersPeak, int listenerRestarts,
                                Duration elapsed, List<Verdict> verdicts) {
        int completed = (int) jobs.stream().filter(j -> j.state() == JobState.COMPLETED).count();
        int duplicated = (int) jobs.stream().filter(j -> j.starts() > 1).count();
        List<Double> pickups = jobs.stream().filter(j -> j.runnerAssignTime() != null)
                .map(j -> Duration.between(j.queueTime(), j.runnerAssignTime()).toMillis() / 1000.0).sorted().toList();
        long conflicts = requests.getOrDefault("create-session", Map.of()).getOrDefault(409, 0L);
        long calls = requests.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        int lost = jobs.size() - completed;
        Map<String, Invariant> invariants = new java.util.LinkedHashMap<>();
        verdicts.forEach(v -> invariants.put(v.invariant(), new Invariant(v.ok(), v.message(),
                v.evidence().stream().map(HistoryEvent::seq).toList())));
        boolean held = verdicts.stream().allMatch(Verdict::ok);
        String verdict = held && lost == 0 && duplicated == 0 ? "pass" : "fail";
        return new RunSummary(scenario, policy, seed, world, verdict, java.util.Collections.unmodifiableMap(invariants),
                jobs.size(), completed, lost, duplicated,
                percentile(pickups, 0.50), percentile(pickups, 0.95), runnersPeak, listenerRestarts, conflicts, calls,
                elapsed.toMillis() / 1000.0);
    }

    /** Nearest-rank percentile; null when there is nothing to rank. */
    static Double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode node = JSON.valueToTree(this);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(node) + "\n");
    }

    /** The table people read at the end of a run. */
    public String table() {
        String f = "  %-25s %s%n";
        StringBuilder checks = new StringBuilder();
        invariants.forEach((name, inv) -> checks.append(String.format(f, name, (inv.ok() ? "held" : "FAILED") + ": " + inv.message())));
        return String.format(f, "verdict", verdict) + checks
                + String.format(f, "jobs queued", jobsQueued)
                + String.format(f, "jobs completed", jobsCompleted)
                + String.format(f, "jobs lost", jobsLost)
                + String.format(f, "jobs run twice", jobsDuplicated)
                + String.format(f, "pickup p50 / p95", seconds(pickupP50Seconds) + " / " + seconds(pickupP95Seconds))
                + String.format(f, "runners at peak", runnersPeak)
                + String.format(f, "listener restarts", listenerRestarts)
                + String.format(f, "session conflicts (409)", sessionConflicts)
                + String.format(f, "API calls to GitHub", apiCalls)
                + String.format(f, "wall time", seconds(durationSeconds));
    }

    private static String seconds(Double s) {
        return s == null ? "-" : String.format("%.1f s", s);
    }
}
