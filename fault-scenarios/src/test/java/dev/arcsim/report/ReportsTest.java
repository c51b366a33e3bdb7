package dev.arcsim.report;

import dev.arcsim.check.Bound;
import dev.arcsim.check.Invariants;
import dev.arcsim.check.Measures;
import dev.arcsim.check.Verdict;
import dev.arcsim.history.History;
import dev.arcsim.history.HistoryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Measures, the summary's verdict and the reports, from a small hand-made history. */
class ReportsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** One job, a listener pod restarted once, a fault window of 503s from 2 s to 5 s, recovery at 6 s. */
    static History history() {
        History h = new History();
        h.record(T0, "kubelet", "pod-started", Map.of("pod", "arc-systems/l-1"));
        h.record(T0, "fake-github", "session-created", Map.of("session", "s1"));
        h.record(T0, "listener", "listener-ready", Map.of());
        h.record(T0, "timeline", "workload-started", Map.of("jobs", 1));
        h.record(T0.plusSeconds(1), "fake-github", "job-queued", Map.of("job", 1001L));
        h.record(T0.plusSeconds(2), "timeline", "fault-window-opened", Map.of("window", "w1", "what", "fault status 503"));
        h.record(T0.plusSeconds(3), "fake-github", "fault-injected", Map.of("fault", "w1", "kind", "status"));
        h.record(T0.plusSeconds(3), "fake-github", "api-call", Map.of("endpoint", "get-message", "status", 503, "ms", 1L));
        h.record(T0.plusSeconds(3), "listener", "listener-not-ready", Map.of());
        h.record(T0.plusSeconds(4), "kubelet", "pod-started", Map.of("pod", "arc-systems/l-2"));
        h.record(T0.plusSeconds(4), "fake-github", "api-call", Map.of("endpoint", "create-session", "status", 409, "ms", 1L));
        h.record(T0.plusSeconds(5), "timeline", "fault-window-closed", Map.of("window", "w1"));
        h.record(T0.plusSeconds(5), "timeline", "disruption", Map.of("what", "fault window closed", "window", "w1"));
        h.record(T0.plusSeconds(7), "fake-github", "api-call", Map.of("endpoint", "get-message", "status", 200, "ms", 1000L));
        h.record(T0.plusSeconds(7), "listener", "listener-ready", Map.of());
        h.record(T0.plusSeconds(7), "fake-github", "runner-registered", Map.of("runner", 1));
        h.record(T0.plusSeconds(8), "fake-github", "job-started", Map.of("job", 1001L));
        h.record(T0.plusSeconds(10), "fake-github", "job-completed", Map.of("job", 1001L));
        h.record(T0.plusSeconds(10), "fake-github", "runner-removed", Map.of("runner", 1));
        h.record(T0.plusSeconds(11), "fake-github", "session-ended", Map.of("session", "s1"));
        return h;
    }

    @Test
    void measuresComeFromTheHistoryAlone() {
        Measures m = Measures.of(history().events());
        assertEquals(List.of(7.0), m.pickupSeconds());
        assertEquals(1, m.listenerRestarts());
        assertEquals(1, m.runnersPeak());
        assertEquals(1, m.sessionConflicts());
        assertEquals(3, m.apiCallsTotal());
        assertEquals(1, m.windows().size());
        Measures.Window w = m.windows().get(0);
        assertEquals(2.0, w.openedAt());
        assertEquals(5.0, w.closedAt());
        assertEquals(1, w.faultsInjected());
        assertEquals(Map.of("create-session", Map.of(409, 1L), "get-message", Map.of(503, 1L)), w.apiCalls());
        assertEquals(1.0, m.recoverySeconds(), "the poll that succeeded began at 6 s, a second after the window");
    }

    private static RunSummary summary(Set<String> expected, List<Bound> bounds) {
        List<HistoryEvent> events = history().events();
        List<Verdict> verdicts = Invariants.all(0, 5, Duration.ofMillis(500)).stream().map(c -> c.check(events)).toList();
        return RunSummary.of("s", "d", "arc-current", 3, "wire", events, verdicts, expected, bounds, 11.0, "./arcsim scenario run s");
    }

    @Test
    void theVerdictIsPassExpectedFailOrFailAgainstWhatTheScenarioSays() {
        RunSummary unexpected = summary(Set.of(), List.of());
        assertEquals("fail", unexpected.verdict(), "recovery took 1 s, above the 0.5 s bound");
        assertEquals(List.of("expected to break nothing, broke bounded-recovery"), unexpected.unmetExpectations());
        assertFalse(unexpected.asExpected());

        RunSummary expected = summary(Set.of("bounded-recovery"), List.of(new Bound("listenerRestarts", 1, 1)));
        assertEquals("expected-fail", expected.verdict());
        assertTrue(expected.asExpected());

        RunSummary tooFewRestarts = summary(Set.of("bounded-recovery"), List.of(new Bound("listenerRestarts", 2, null)));
        assertEquals(List.of("expected listenerRestarts >= 2, saw 1"), tooFewRestarts.unmetExpectations());
        assertEquals(1, expected.jobsQueued());
        assertEquals(0, expected.jobsLost());
        assertEquals(7.0, expected.pickupP95Seconds());
    }

    @Test
    void aRunWritesMarkdownAPngAndOneSelfContainedHtmlFile(@TempDir Path dir) throws Exception {
        RunSummary s = summary(Set.of("bounded-recovery"), List.of());
        s.write(dir);
        Reports.writeRun(s, history(), "name: s\n# <script>\n", dir);
        byte[] png = Files.readAllBytes(dir.resolve("timeline.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("**Verdict: expected-fail**"), md);
        assertTrue(md.contains("| bounded-recovery | **no** | yes |"), md);
        assertTrue(md.contains("| w1 | fault status 503 | 2.0 s | 5.0 s | 1 | create-session: 409 x1; get-message: 503 x1 |"), md);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<img alt=\"timeline\" src=\"data:image/png;base64,"), "the chart is embedded");
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "nothing is fetched from elsewhere");
        assertTrue(html.contains("# &lt;script&gt;"), "the scenario text is escaped");
        assertTrue(html.contains("<td>bounded-recovery</td><td><strong>no</strong></td>"), html);
        assertEquals(s, RunSummary.read(dir.resolve("summary.json")), "summary.json reads back to the same summary");
    }

    @Test
    void aRunOfArcsOwnBinariesNamesThemAndLinksTheirScrubbedOutput() {
        RunSummary arc = summary(Set.of(), List.of()).withListener(new RunSummary.Listener("arc 0.8.1",
                "/p/0.8.1/githubrunnerscalesetlistener", "abc123", "listener-logs"));
        String md = Reports.markdown(arc, "timeline.png");
        assertTrue(md.contains("Ran ARC's own controller and listener (0.8.1) on a real API server; the listener "
                + "`/p/0.8.1/githubrunnerscalesetlistener` (sha256 `abc123`), judged by the arc-current model."), md);
        assertTrue(md.contains("[listener-logs/](listener-logs/)"), md);
        assertTrue(arc.table().contains("ARC's controller and listener /p/0.8.1/githubrunnerscalesetlistener"), arc.table());
        RunSummary binary = summary(Set.of(), List.of()).withListener(new RunSummary.Listener("binary", "/p/ghalistener", "ab", null));
        assertTrue(Reports.markdown(binary, "t.png").contains("Ran ARC's listener in the listener pods: `/p/ghalistener`"));
        assertFalse(Reports.markdown(summary(Set.of(), List.of()), "t.png").contains("Ran ARC"), "arcsim's own listener: no line");
    }

    @Test
    void theTimelineSamplesJobsRunnersAndTheSessionAndShadesWindows() {
        Reports.Timeline tl = Reports.timeline(history().events(), Duration.ofSeconds(1));
        assertEquals(0.0, tl.seconds().get(0));
        assertEquals(1.0, tl.waiting().get(1), "queued at 1 s");
        assertEquals(1.0, tl.running().get(8), "started at 8 s");
        assertEquals(0.0, tl.running().get(10), "completed at 10 s");
        assertEquals(1.0, tl.session().get(10));
        assertEquals(List.of(1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0), tl.ready().subList(0, 8), "not ready from 3 s to 7 s");
        assertEquals(0.0, tl.session().get(11));
        assertEquals(1, tl.windows().size());
        assertArrayEquals(new double[] {2.0, 5.0}, tl.windows().get(0));
    }

    @Test
    void aLongRunIsChartedInAboutTwoThousandPoints() {
        assertEquals(Duration.ofMillis(250), Reports.chartStep(history().events()), "a short run: every 250 ms");
        dev.arcsim.history.History h = new dev.arcsim.history.History();
        h.record(T0, "timeline", "workload-started", Map.of());
        h.record(T0.plus(Duration.ofHours(10)), "timeline", "teardown-started", Map.of());
        Duration step = Reports.chartStep(h.events());
        assertEquals(Duration.ofSeconds(18), step, "ten hours in 2,000 steps");
        assertEquals(2002, Reports.timeline(h.events(), step).seconds().size(), "from the start to one step past the end");
    }

    @Test
    void theSuiteTableHasAColumnPerPolicyAndSaysWhatWasNotAsExpected() {
        RunSummary ok = summary(Set.of("bounded-recovery"), List.of());
        RunSummary bad = summary(Set.of(), List.of());
        String md = SuiteReport.markdown(List.of(SuiteReport.cell(ok, "s/arc-current/report.md"),
                SuiteReport.cell(new RunSummary(bad.scenario(), bad.description(), "resilient", bad.seed(), bad.world(),
                        bad.verdict(), bad.invariants(), bad.expectedBreaks(), bad.unmetExpectations(), bad.jobsQueued(),
                        bad.jobsCompleted(), bad.jobsLost(), bad.jobsDuplicated(), bad.recoverySeconds(),
                        bad.pickupP50Seconds(), bad.pickupP95Seconds(), bad.runnersPeak(), bad.listenerRestarts(),
                        bad.sessionConflicts(), bad.apiCalls(), bad.apiCallsByEndpoint(), bad.recoveries(),
                        bad.faultWindows(), bad.durationSeconds(), bad.replay(), bad.listener(), bad.sessionsOrphaned()), "s/resilient/report.md")), "./arcsim suite");
        assertTrue(md.contains("| scenario | arc-current | resilient |"), md);
        assertTrue(md.contains("| s | [expected-fail](s/arc-current/report.md) · rec 1.0 s"), md);
        assertTrue(md.contains("[**FAIL**](s/resilient/report.md)"), md);
        assertTrue(md.contains("- s / resilient: expected to break nothing, broke bounded-recovery"), md);
    }
}
