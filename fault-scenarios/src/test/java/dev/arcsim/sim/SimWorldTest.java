package dev.arcsim.sim;

import dev.arcsim.check.BoundedRecovery;
import dev.arcsim.check.Invariants;
import dev.arcsim.check.Verdict;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.history.HistoryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole loop (fake, controller, kubelet, listener, runners) in virtual time with the service's real timings:
 * a 50 s long poll and a 5-minute orphan TTL. Jobs arrive for 20 minutes; the listener pod is SIGKILLed at minute 3;
 * the runner set is deleted at the end; the catalogue's checkers judge the history.
 */
class SimWorldTest {

    private static final String SET = "arc-runner-set";

    private static SimWorld seedIncident(String policy, long seed) throws Exception {
        SimWorld w = new SimWorld(seed, policy, Map.of(), Rules.defaults(), Duration.ofSeconds(1));
        w.createRunnerSet(SET, 0, 5);
        w.runFor(Duration.ofSeconds(30));
        for (int minute = 0; minute < 20; minute++) {
            w.queueJobs(SET, 1, 60 + minute * 7 % 50);
            if (minute == 3) {
                String pod = w.listeners().get(0).getMetadata().getName();
                w.actor("timeline").emit("disruption", Map.of("what", "listener-killed", "pod", pod));
                assertTrue(w.kubelet.kill(SimWorld.CONTROLLER_NAMESPACE, pod), "the listener pod was running");
            }
            w.runFor(Duration.ofMinutes(1));
        }
        w.runFor(Duration.ofMinutes(5));
        w.actor("timeline").emit("teardown-started", Map.of());
        w.cluster.delete(AutoscalingRunnerSet.class, SimWorld.RUNNER_NAMESPACE, SET);
        w.runFor(Duration.ofMinutes(2));
        return w;
    }

    private static Map<String, Verdict> verdicts(SimWorld w, Duration bound) {
        List<HistoryEvent> events = w.history().events();
        return Invariants.all(0, 5, bound).stream().map(c -> c.check(events))
                .collect(Collectors.toMap(Verdict::invariant, v -> v));
    }

    @Test
    void resilientTakesOverAtOnceAndHoldsEveryInvariant() throws Exception {
        SimWorld w = seedIncident("resilient", 5);
        verdicts(w, Duration.ofSeconds(30)).forEach((name, v) -> assertTrue(v.ok(), name + ": " + v.message()));
        BoundedRecovery.Recovery r = BoundedRecovery.recoveries(w.history().events()).get(0);
        assertTrue(r.toFirstPoll() < 10, "polling again within seconds of the kill: " + r.toFirstPoll());
        assertEquals(20, w.history().events().stream().filter(e -> e.actor().equals("fake-github")
                && e.type().equals("job-completed")).count(), "every job ran");
    }

    @Test
    void arcLegacyWaitsOutTheFiveMinuteOrphanTtlButLosesNoJob() throws Exception {
        SimWorld w = seedIncident("arc-legacy", 5);
        Map<String, Verdict> v = verdicts(w, Duration.ofSeconds(30));
        assertFalse(v.get("bounded-recovery").ok(), "it could not recover within 30 s");
        assertTrue(v.get("no-job-lost").ok() && v.get("no-job-twice").ok(), v.toString());
        BoundedRecovery.Recovery r = BoundedRecovery.recoveries(w.history().events()).get(0);
        assertTrue(r.toFirstPoll() >= 300, "no poll until the orphaned session expired: " + r.toFirstPoll());
        assertTrue(w.history().events().stream().filter(e -> e.actor().equals("fake-github")
                && e.type().equals("session-conflicted")).count() >= 5, "409 on each restart");
    }

    /**
     * The replay promise holds across processes, not only within one: a JVM draws a new order for {@code Map.of}'s
     * keys each time it starts, so each process runs the scenario on its own.
     */
    @Test
    void twoProcessesWithTheSameScenarioAndSeedWriteTheSameHistoryByteForByte(@TempDir Path dir) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        for (String run : java.util.List.of("a", "b")) {
            Process p = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                    dev.arcsim.cli.ArcsimCommand.class.getName(), "scenario", "run", "listener-sigkill-orphaned-session",
                    "--world", "sim", "--seed", "11", "--policy", "arc-legacy", "--report", dir.resolve(run).toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(run + ".log").toFile()).start();
            try {
                assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "run " + run + " finished");
            } finally {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve(run + ".log")));
        }
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve("history.jsonl"));
        assertTrue(a.length > 10_000, "a real history: " + a.length + " bytes");
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b").resolve("history.jsonl")));
    }

    @Test
    void theSameSeedGivesTheSameHistoryByteForByte(@TempDir Path dir) throws Exception {
        seedIncident("resilient", 9).history().writeJsonl(dir.resolve("a.jsonl"));
        seedIncident("resilient", 9).history().writeJsonl(dir.resolve("b.jsonl"));
        seedIncident("resilient", 10).history().writeJsonl(dir.resolve("c.jsonl"));
        byte[] a = Files.readAllBytes(dir.resolve("a.jsonl"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b.jsonl")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c.jsonl"))), "another seed, another history");
        assertTrue(a.length > 10_000, "a real history: " + a.length + " bytes");
    }
}
