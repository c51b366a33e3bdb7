package dev.arcsim.world.arc;

import dev.arcsim.history.HistoryEvent;
import dev.arcsim.report.RunSummary;
import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;
import dev.arcsim.world.ClusterKind;
import dev.arcsim.world.process.Peers;
import dev.arcsim.world.real.RealTierTests;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole of ARC under arcsim's faults: ARC's own controller (its CRDs, its chart's RBAC) and its own listener, on
 * a real API server, with fake-github and simulated runners. Each seed incident must come out as its scenario file
 * states for the model of that ARC line, judged by the same checkers as every run, so a model that drifts from what
 * ARC's controller and listener do together fails here.
 */
class ArcFullStackTest {

    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)   // each run waits, mostly
    @ParameterizedTest(name = "{0} on ARC {2} judged by {1}")
    @CsvSource({
            "listener-sigkill-orphaned-session, arc-0.8,     0.8.1",
            "server-errors-beyond-retries,      arc-0.8,     0.8.1",
            "listener-sigkill-orphaned-session, arc-current, head-2ee6b3b",
            "server-errors-beyond-retries,      arc-current, head-2ee6b3b",
    })
    void aSeedIncidentComesOutAsItsFileStatesWithArcsOwnControllerAndListener(String scenario, String model, String folder,
                                                                              @TempDir Path report) throws Exception {
        RealTierTests.require();
        Path manager = Peers.find(folder + "/manager").orElse(null);
        assumeTrue(manager != null, Peers.missing(folder + "/manager"));
        ArcRelease release = ArcRelease.check(manager.getParent());
        Scenario s = Catalogue.resolve(scenario).scenario().withPolicy(model).forWorld("wire");

        var result = new ScenarioRunner(line -> { }, Duration.ofSeconds(10), "wire", ClusterKind.REAL, release)
                .run(s, scenario, null, report);
        RunSummary summary = result.summary();

        assertTrue(summary.asExpected(), () -> scenario + " on " + release.label() + " is not as " + model + " expects: "
                + summary.unmetExpectations() + " " + summary.invariants());
        assertEquals("arc " + release.version(), summary.listener().program());
        assertTrue(summary.world().contains(release.label()), summary.world());
        assertTrue(summary.replay().endsWith("--arc " + release.dir()), summary.replay());
        List<HistoryEvent> events = result.history().events();
        assertTrue(events.stream().anyMatch(e -> e.type().equals("arc-controller-started")), "ARC's controller ran");
        assertFalse(events.stream().anyMatch(e -> e.type().equals("arc-controller-exited")
                        && !"143".equals(String.valueOf(e.field("exitCode"))) && !"0".equals(String.valueOf(e.field("exitCode")))),
                "ARC's controller ended only when stopped: " + events.stream().filter(e -> e.type().startsWith("arc-controller")).toList());
        assertTrue(events.stream().anyMatch(e -> e.type().equals("pod-terminating")),
                "pods on the Node are deleted gracefully: the kubelet saw one terminating");

        List<Path> logs;
        try (Stream<Path> files = Files.list(report.resolve(ScenarioRunner.PROCESS_LOGS))) {
            logs = files.toList();
        }
        assertTrue(logs.stream().anyMatch(p -> p.getFileName().toString().equals("controller.1.log")),
                "the controller's output is in the report: " + logs);
        assertTrue(logs.stream().anyMatch(p -> p.getFileName().toString().contains("-listener.")),
                "each listener pod's output is in the report: " + logs);
        assertTrue(Files.readString(report.resolve(ScenarioRunner.PROCESS_LOGS).resolve("controller.1.log"))
                .contains("AutoscalingRunnerSet"), "the controller's log is its own");
        for (Path log : logs) {
            String text = Files.readString(log);
            assertFalse(text.contains("ghp_world_token"), log + " shows the PAT");
            assertFalse(text.matches("(?s).*eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\..*"), log + " shows a JWT");
        }
        RELEASES.add(release.dir().toString());
    }

    /** Which releases ran; once every run has ended (they run side by side), none may have a process left. */
    private static final java.util.Set<String> RELEASES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @org.junit.jupiter.api.AfterAll
    static void noProcessOfArcsOutlivesItsRun() {
        for (String dir : RELEASES) {
            assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(dir)),
                    "a process of " + dir + " is still running after its runs ended");
        }
    }
}
