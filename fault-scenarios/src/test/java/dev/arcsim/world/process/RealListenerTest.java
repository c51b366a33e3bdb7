package dev.arcsim.world.process;

import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ARC's real listener in a scenario: a binary that cannot run is one clear error, and the fidelity suite plays model and
 * binary side by side. {@link RealListenerModelsTest} holds each model to its binary, scenario by scenario.
 */
class RealListenerTest {

    @org.junit.jupiter.api.Test
    void aBinaryThatExitsAtOnceIsOneClearErrorAndLeavesNothingRunning(@TempDir Path dir) throws Exception {
        Path program = Files.writeString(dir.resolve("ghalistener"), "#!/bin/sh\necho starting with token ghp_world_token\nexit 3\n");
        Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Scenario s = Catalogue.resolve("graceful-shutdown").scenario().withPolicy("arc-current").forWorld("wire")
                .withListenerBinary(program.toString());
        var e = org.junit.jupiter.api.Assertions.assertThrows(ListenerBinary.Invalid.class, () ->
                new ScenarioRunner(line -> { }, Duration.ofSeconds(10), "wire").run(s, "graceful-shutdown", null,
                        dir.resolve("report")));
        assertTrue(e.getMessage().contains("exited with code 3 before it asked for a session"), e.getMessage());
        assertTrue(e.getMessage().contains("starting with token ***"), "its output, scrubbed: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @org.junit.jupiter.api.Test
    void theFidelitySuitePlaysModelAndBinarySideBySideAndTheyAgree(@TempDir Path dir) throws Exception {
        Path head = Peers.find(Peers.HEAD).orElse(null);
        assumeTrue(head != null, Peers.missing(Peers.HEAD));
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = dev.arcsim.cli.ArcsimCommand.commandLine();
        cli.setOut(new java.io.PrintWriter(out));
        int code = cli.execute("suite", "--world", "wire", "--scenarios", "{listener-sigkill-orphaned-session,server-errors-beyond-retries}",
                "--fidelity", "arc-current=" + head, "--parallel", "4", "--report", dir.toString());

        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("fidelity.json").toFile());
        assertEquals(2, json.get("rows").size(), out.toString());
        for (com.fasterxml.jackson.databind.JsonNode row : json.get("rows")) {
            assertTrue(row.get("agree").asBoolean(), "model and binary agree on " + row.get("scenario") + ": " + row);
            assertEquals(ListenerBinary.sha256(head), row.get("sha256").asText());
            assertTrue(Files.exists(dir.resolve(row.get("binaryRun").get("report").asText())), "the binary's run has its report");
        }
        assertEquals(0, code, out.toString());
        assertTrue(Files.readString(dir.resolve("fidelity.md")).contains("Model and binary agree in every row."));
    }
}
