package dev.arcsim.world.process;

import dev.arcsim.report.RunSummary;
import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;
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
 * ARC's real listeners in the listener pods of the wire world, judged by the model of each: a run comes out as the
 * scenario file states for the model only when model and binary agree, so this fails when a model drifts from its
 * binary. The two seed incidents and the outage scenarios, for each ARC line that agrees on them; the runs go side by
 * side (they mostly wait), in a class of their own so nothing else runs beside them.
 */
class RealListenerModelsTest {

    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)   // each run waits, mostly
    @ParameterizedTest(name = "{0} under {1} ({2})")
    @CsvSource({
            "listener-sigkill-orphaned-session, arc-current, " + Peers.HEAD,
            "session-validation-rule-change,    arc-current, " + Peers.HEAD,
            "server-errors-beyond-retries,      arc-current, " + Peers.HEAD,
            "network-partition,                 arc-current, " + Peers.HEAD,
            "lost-ack-redelivery,               arc-current, " + Peers.HEAD,
            "listener-sigkill-orphaned-session, arc-legacy,  " + Peers.V013,
            "session-validation-rule-change,    arc-legacy,  " + Peers.V013,
            "server-errors-beyond-retries,      arc-legacy,  " + Peers.V013,
            "network-partition,                 arc-legacy,  " + Peers.V013,
            "listener-sigkill-orphaned-session, arc-0.8,     " + Peers.V081,
            "server-errors-beyond-retries,      arc-0.8,     " + Peers.V081,
    })
    void theBinaryComesOutAsItsModelExpects(String scenario, String model, String binary, @TempDir Path report)
            throws Exception {
        Path program = Peers.find(binary).orElse(null);
        assumeTrue(program != null, Peers.missing(binary));
        Scenario s = Catalogue.resolve(scenario).scenario().withPolicy(model).forWorld("wire")
                .withListenerBinary(program.toString());
        RunSummary summary = new ScenarioRunner(line -> { }, Duration.ofSeconds(10), "wire")
                .run(s, scenario, null, report).summary();

        assertTrue(summary.asExpected(), () -> scenario + " with " + binary + " is not as " + model + " expects: "
                + summary.unmetExpectations());
        assertEquals("binary", summary.listener().program());
        assertEquals(ListenerBinary.sha256(program), summary.listener().sha256(), "summary.json names the binary run");
        List<Path> logs;
        try (Stream<Path> files = Files.list(report.resolve(ScenarioRunner.PROCESS_LOGS))) {
            logs = files.toList();
        }
        assertFalse(logs.isEmpty(), "each listener process's output is in the report folder");
        for (Path log : logs) {
            String text = Files.readString(log);
            assertFalse(text.contains("ghp_world_token"), log + " shows the PAT");
            assertFalse(text.matches("(?s).*eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\..*"), log + " shows a JWT");
            assertFalse(text.contains("arcsim-sa-"), log + " shows the pod's service-account token");
        }
        PROGRAMS.add(program.toString());
    }

    /** Which binaries ran; once every run has ended (they run side by side), none may have a process left. */
    private static final java.util.Set<String> PROGRAMS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @org.junit.jupiter.api.AfterAll
    static void noListenerProcessOutlivesItsRun() {
        for (String program : PROGRAMS) {
            assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().command().orElse("").equals(program)),
                    program + " is still running after its runs ended");
        }
    }
}
