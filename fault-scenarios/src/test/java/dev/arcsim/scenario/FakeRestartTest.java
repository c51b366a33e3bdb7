package dev.arcsim.scenario;

import dev.arcsim.history.HistoryEvent;
import dev.arcsim.report.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one timeline action no catalogue scenario uses: fake-github restarted, its sessions lost, down for 3 s. Written
 * in YAML, played on the embedded world under resilient, judged from the history.
 */
class FakeRestartTest {

    @Test
    void afterAServiceRestartTheListenerMakesANewSessionAndNothingIsLost(@TempDir Path dir) throws Exception {
        Scenario s = ScenarioFile.parse("""
                name: fake-restart
                seed: 3
                duration: 60s
                system: {minRunners: 0, maxRunners: 3, policyParameters: {resilient: {capSeconds: 2}}}
                rules: {longPollSeconds: 2}
                workload:
                  arrivals: {process: constant, jobs: 4, over: 8s}
                  jobDuration: 1s
                timeline:
                  - {at: 3s, until: 6s, do: restart-fake-github}
                expect:
                  recoveryWithin: 10s
                """, "fake-restart.yaml");
        ScenarioRunner.Result r = new ScenarioRunner(line -> { }).run(s, "fake-restart.yaml", null, dir);
        RunSummary summary = r.summary();
        assertEquals("pass", summary.verdict(), summary.table());
        List<HistoryEvent> events = r.history().events();
        long restartedAt = events.stream().filter(e -> e.type().equals("fake-github-restarted")).findFirst().orElseThrow().seq();
        assertTrue(events.stream().anyMatch(e -> e.actor().equals("fake-github") && e.type().equals("session-ended")
                && "service-restarted".equals(e.text("reason")) && e.seq() > restartedAt), "the restart lost the session");
        assertTrue(events.stream().anyMatch(e -> e.actor().equals("fake-github") && e.type().equals("session-created")
                && e.seq() > restartedAt), "the listener made a new one");
        assertTrue(events.stream().anyMatch(e -> e.type().equals("fault-injected") && e.seq() > restartedAt),
                "requests were refused while the service was down");
        assertEquals(1, summary.recoveries().size());
    }
}
