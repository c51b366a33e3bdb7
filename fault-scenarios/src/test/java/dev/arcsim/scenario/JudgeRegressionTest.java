package dev.arcsim.scenario;

import dev.arcsim.report.RunSummary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that once fooled the judge, played in the simulated world from the timelines that showed it. Each fails if the
 * judge is fooled again.
 */
class JudgeRegressionTest {

    /**
     * Every poll answered with an empty 200 from 0 to 90 s and the listener killed at 5 s: the checker took the first
     * empty 200 after the kill for a recovery (2.4 s) although the listener was not served until the window closed.
     */
    @Test
    void aListenerFedEmpty200sHasNotRecovered() {
        Scenario s = ScenarioFile.parse("""
                name: empty-200s-after-a-kill
                seed: 5
                duration: 4m
                system: {policy: resilient, minRunners: 0, maxRunners: 3}
                workload:
                  arrivals: {process: constant, jobs: 4, over: 20s}
                  jobDuration: 2s
                timeline:
                  - {at: 0s, until: 90s, do: fault, fault: {kind: empty-200, endpoint: get-message}}
                  - {at: 5s, do: kill-listener}
                expect:
                  recoveryWithin: 30s
                """, "empty-200s-after-a-kill.yaml");
        ScenarioRunner.Result r = ScenarioRunner.simulate(s);
        RunSummary summary = r.summary();
        assertTrue(r.history().events().stream().anyMatch(e -> e.type().equals("api-call")
                && Boolean.TRUE.equals(e.field("altered"))), "the fake marked the empty 200s it sent");
        var kill = summary.recoveries().stream().filter(x -> x.what().equals("listener-killed")).findFirst().orElseThrow();
        assertTrue(kill.toFirstPoll() != null && kill.toFirstPoll() > 80, "recovered only once the window closed, not "
                + "on the first empty 200: " + kill);
        assertFalse(summary.invariants().get("bounded-recovery").ok(), summary.table());
        assertEquals("fail", summary.verdict());
        assertEquals(4, summary.jobsCompleted(), "the jobs still ran once it was served");
    }
}
