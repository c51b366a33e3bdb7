package dev.arcsim.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arcsim.check.BoundedRecovery;
import dev.arcsim.check.Measures;
import dev.arcsim.check.Verdict;
import dev.arcsim.history.HistoryEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code summary.json}: the verdict, one verdict per invariant with its evidence (history sequence numbers),
 * and the measures, all derived from the history.
 *
 * @param verdict          {@code pass} (every invariant held, as expected), {@code expected-fail} (the policy broke
 *                         exactly what the scenario says it breaks) or {@code fail} (anything else)
 * @param expectedBreaks   what the scenario says this policy breaks
 * @param unmetExpectations why the outcome is not the expected one; empty when it is
 * @param recoverySeconds  the worst recovery (to the first successful poll) over the run's disruptions; null when
 *                         there were none, "Infinity" when one never recovered
 * @param replay           the command that plays this run again
 * @param listener         what ran in the listener pods: arcsim's reference listener under {@code policy}, or a
 *                         listener binary (ARC's own), which {@code policy} then only names the model judging it
 * @param sessionsOrphaned sessions left behind until the service's orphan TTL dropped them
 */
public record RunSummary(String scenario, String description, String policy, long seed, String world, String verdict,
                         Map<String, Invariant> invariants, Set<String> expectedBreaks, List<String> unmetExpectations,
                         int jobsQueued, int jobsCompleted, int jobsLost, int jobsDuplicated, Double recoverySeconds,
                         Double pickupP50Seconds, Double pickupP95Seconds, int runnersPeak, int listenerRestarts,
                         long sessionConflicts, long apiCalls, Map<String, Map<Integer, Long>> apiCallsByEndpoint,
                         List<Recovery> recoveries, List<Measures.Window> faultWindows, double durationSeconds,
                         String replay, Listener listener, int sessionsOrphaned) {

    /**
     * @param program {@code reference} (arcsim's listener), {@code binary}, or {@code arc <version>} (ARC's controller
     *                and listener in place of arcsim's)
     * @param binary  the binary's absolute path; null for the reference listener
     * @param sha256  the binary's sha256
     * @param logs    where its processes' output went (secrets scrubbed), relative to the report folder
     */
    public record Listener(String program, String binary, String sha256, String logs) {
        public static final Listener REFERENCE = new Listener("reference", null, null, null);
    }

    /** The same summary, naming what ran in the listener pods. */
    public RunSummary withListener(Listener l) {
        return new RunSummary(scenario, description, policy, seed, world, verdict, invariants, expectedBreaks,
                unmetExpectations, jobsQueued, jobsCompleted, jobsLost, jobsDuplicated, recoverySeconds, pickupP50Seconds,
                pickupP95Seconds, runnersPeak, listenerRestarts, sessionConflicts, apiCalls, apiCallsByEndpoint, recoveries,
                faultWindows, durationSeconds, replay, l, sessionsOrphaned);
    }

    /** One checker's verdict: the history sequence numbers of its evidence. */
    public record Invariant(boolean ok, String message, List<Long> evidence) {
    }

    /** One disruption's recovery times, in seconds (null: did not happen, or no backlog). */
    public record Recovery(long event, String what, Double toFirstPoll, Double toFirstAcquire, Double toBacklogDrained) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static RunSummary of(String scenario, String description, String policy, long seed, String world,
                                List<HistoryEvent> history, List<Verdict> verdicts, Set<String> expectedBreaks,
                                List<dev.arcsim.check.Bound> bounds, double durationSeconds, String replay) {
        Measures m = Measures.of(history);
        Map<Object, Integer> starts = new HashMap<>();
        Set<Object> queued = new LinkedHashSet<>();
        Set<Object> completed = new LinkedHashSet<>();
        for (HistoryEvent e : history) {
            if (!e.actor().equals(dev.arcsim.check.Checker.SERVICE)) {
                continue;
            }
            switch (e.type()) {
                case "job-queued" -> queued.add(e.field("job"));
                case "job-completed" -> completed.add(e.field("job"));
                case "job-started" -> starts.merge(e.field("job"), 1, Integer::sum);
                default -> {
                }
            }
        }
        Map<String, Invariant> invariants = new LinkedHashMap<>();
        Set<String> broke = new LinkedHashSet<>();
        for (Verdict v : verdicts) {
            invariants.put(v.invariant(), new Invariant(v.ok(), v.message(), v.evidence().stream().map(HistoryEvent::seq).toList()));
            if (!v.ok()) {
                broke.add(v.invariant());
            }
        }
        List<String> unmet = new ArrayList<>();
        if (!broke.equals(expectedBreaks)) {
            unmet.add("expected to break " + (expectedBreaks.isEmpty() ? "nothing" : String.join(", ", expectedBreaks))
                    + ", broke " + (broke.isEmpty() ? "nothing" : String.join(", ", broke)));
        }
        for (dev.arcsim.check.Bound b : bounds) {
            long value = switch (b.measure()) {
                case "listenerRestarts" -> m.listenerRestarts();
                case "sessionConflicts" -> m.sessionConflicts();
                default -> throw new IllegalArgumentException("no measure " + b.measure());
            };
            String why = b.unmet(value);
            if (why != null) {
                unmet.add(why);
            }
        }
        String verdict = !unmet.isEmpty() ? "fail" : broke.isEmpty() ? "pass" : "expected-fail";
        List<Recovery> recoveries = m.recoveries().stream().map(RunSummary::recovery).toList();
        int lost = (int) queued.stream().filter(j -> !completed.contains(j)).count();
        int duplicated = (int) starts.values().stream().filter(n -> n > 1).count();
        return new RunSummary(scenario, description, policy, seed, world, verdict, invariants, Set.copyOf(expectedBreaks),
                List.copyOf(unmet), queued.size(), completed.size(), lost, duplicated, m.recoverySeconds(),
                m.pickupP50Seconds(), m.pickupP95Seconds(), m.runnersPeak(), m.listenerRestarts(), m.sessionConflicts(),
                m.apiCallsTotal(), m.apiCalls(), recoveries, m.windows(), durationSeconds, replay, Listener.REFERENCE,
                m.sessionsOrphaned());
    }

    private static Recovery recovery(BoundedRecovery.Recovery r) {
        return new Recovery(r.disruption().seq(), r.what(), r.toFirstPoll(), r.toFirstAcquire(), r.toBacklogDrained());
    }

    /** The invariants the run broke, by name, sorted. */
    @JsonIgnore
    public java.util.SortedSet<String> broken() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        invariants.forEach((name, v) -> {
            if (!v.ok()) {
                out.add(name);
            }
        });
        return out;
    }

    /** Whether the run came out as the scenario expects for its policy (exit status 0). */
    @JsonIgnore
    public boolean asExpected() {
        return unmetExpectations.isEmpty();
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(this) + "\n");
    }

    public static RunSummary read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunSummary.class);
    }

    /** The table people read at the end of a run. */
    public String table() {
        String f = "  %-25s %s%n";
        StringBuilder checks = new StringBuilder();
        invariants.forEach((name, inv) -> checks.append(String.format(f, name, (inv.ok() ? "held" : "BROKEN") + ": " + inv.message())));
        return String.format(f, "verdict", verdict) + checks
                + (listener == null || listener.binary() == null ? ""
                        : String.format(f, listener.program().startsWith("arc ") ? "ARC's controller and listener"
                        : "listener binary", listener.binary() + " (sha256 " + listener.sha256() + "), judged by " + policy))
                + String.format(f, "expected to break", expectedBreaks.isEmpty() ? "nothing" : String.join(", ", expectedBreaks))
                + (unmetExpectations.isEmpty() ? "" : String.format(f, "NOT AS EXPECTED", String.join("; ", unmetExpectations)))
                + String.format(f, "jobs queued", jobsQueued)
                + String.format(f, "jobs completed", jobsCompleted)
                + String.format(f, "jobs lost", jobsLost)
                + String.format(f, "jobs run twice", jobsDuplicated)
                + String.format(f, "worst recovery", seconds(recoverySeconds))
                + String.format(f, "pickup p50 / p95", seconds(pickupP50Seconds) + " / " + seconds(pickupP95Seconds))
                + String.format(f, "runners at peak", runnersPeak)
                + String.format(f, "listener restarts", listenerRestarts)
                + String.format(f, "session conflicts (409)", sessionConflicts)
                + String.format(f, "sessions orphaned", sessionsOrphaned)
                + String.format(f, "API calls to GitHub", apiCalls)
                + String.format(f, "run time", seconds(durationSeconds));
    }

    static String seconds(Double s) {
        if (s == null) {
            return "-";
        }
        return Double.isInfinite(s) ? "never" : String.format("%.1f s", s);
    }
}
