package dev.arcsim.scenario;

import dev.arcsim.history.HistoryEvent;
import dev.arcsim.world.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first seed incident, played on the embedded world under the resilient policy and under ARC's, with the outcome
 * each is expected to have, judged from the recorded history.
 */
class SeedScenariosTest {

    private static long count(ScenarioRunner.Result r, String actor, String type) {
        return r.history().events().stream().filter(e -> e.actor().equals(actor) && e.type().equals(type)).count();
    }

    @Test
    void resilientTakesTheOrphanedSessionOverAndRecoversWithinTheBound(@TempDir Path dir) throws Exception {
        ScenarioRunner.Result r = new ScenarioRunner(line -> { })
                .run(Catalogue.listenerSigkillOrphanedSession("resilient"), dir);
        RunSummary s = r.summary();
        assertEquals("pass", s.verdict(), s.table());
        s.invariants().forEach((name, inv) -> assertTrue(inv.ok(), name + ": " + inv.message()));
        assertEquals(0, s.sessionConflicts(), "no 409: the new listener deleted the orphaned session first");
        assertEquals(1, s.listenerRestarts(), "the kill itself, and nothing after it");
        assertTrue(count(r, "listener", "session-taken-over") >= 1);
        assertEquals(0, s.jobsLost());
        assertTrue(Files.exists(dir.resolve("history.jsonl")) && Files.exists(dir.resolve("summary.json")));
    }

    @Test
    void arcsListenerCrashLoopsOnTheOrphanedSessionUntilTheServerForgetsIt(@TempDir Path dir) throws Exception {
        ScenarioRunner.Result r = new ScenarioRunner(line -> { })
                .run(Catalogue.listenerSigkillOrphanedSession("arc-current"), dir);
        RunSummary s = r.summary();
        assertFalse(s.invariants().get("bounded-recovery").ok(),
                "ARC waits out the 15 s orphan TTL, beyond the 10 s bound: " + s.invariants().get("bounded-recovery").message());
        assertTrue(s.sessionConflicts() >= 1, "409 already has an active session");
        assertTrue(s.listenerRestarts() >= 2, "killed once, then exit 1 on the 409 at least once: " + s.listenerRestarts());
        assertTrue(r.history().events().stream().anyMatch(e -> e.actor().equals("listener") && e.type().equals("listener-exited")
                && Integer.valueOf(1).equals(e.field("exitCode"))), "the listener exited 1");
        assertTrue(s.invariants().get("no-job-lost").ok(), "the jobs still ran once the TTL passed");
        assertTrue(s.invariants().get("no-session-leak").ok());
        HistoryEvent disruption = r.history().events().stream().filter(e -> e.type().equals("disruption")).findFirst().orElseThrow();
        assertEquals("listener-killed", disruption.text("what"));
    }

    private static long exits(ScenarioRunner.Result r, int code) {
        return r.history().events().stream().filter(e -> e.actor().equals("listener") && e.type().equals("listener-exited")
                && Integer.valueOf(code).equals(e.field("exitCode"))).count();
    }

    @Test
    void resilientRidesOutARuleWindowThatRejectsEverySessionWithoutExiting(@TempDir Path dir) throws Exception {
        ScenarioRunner.Result r = new ScenarioRunner(line -> { }).run(Catalogue.sessionValidationRuleChange("resilient"), dir);
        RunSummary s = r.summary();
        s.invariants().forEach((name, inv) -> assertTrue(inv.ok(), name + ": " + inv.message()));
        assertTrue(s.sessionConflicts() >= 1, "the window answered 409");
        assertEquals(0, exits(r, 1), "the listener never exited on a 409");
        assertEquals(1, count(r, "timeline", "listener-restarted"));
        assertEquals(0, s.listenerRestarts(), "the restart in the window was graceful and the listener never failed after it");
        assertTrue(count(r, "listener", "retry") >= 1, "it backed off through the window");
    }

    @Test
    void arcsListenerCrashLoopsThroughTheRuleWindow(@TempDir Path dir) throws Exception {
        ScenarioRunner.Result r = new ScenarioRunner(line -> { }).run(Catalogue.sessionValidationRuleChange("arc-current"), dir);
        RunSummary s = r.summary();
        assertTrue(s.sessionConflicts() >= 2, "409 on each new listener in the window: " + s.sessionConflicts());
        assertTrue(exits(r, 1) >= 2, "exit 1 on each 409: " + exits(r, 1));
        assertTrue(s.listenerRestarts() >= 2, "the controller recreated it each time: " + s.listenerRestarts());
        assertTrue(s.invariants().get("no-job-lost").ok(), "the jobs ran once the rule was rolled back");
        assertTrue(s.invariants().get("bounded-recovery").ok(), s.invariants().get("bounded-recovery").message());
    }
}
