package dev.arcsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code arcsim demo}, the README's main command, run small. */
class DemoCommandTest {

    @Test
    void everyJobCompletesAndTheSummaryHasTheScenarioKeys(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("demo", "--jobs", "4", "--duration", "4s", "--report", dir.toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("verdict                   pass"), out.toString());
        assertTrue(out.toString().contains("queued   4"), "progress lines: " + out);

        JsonNode summary = new ObjectMapper().readTree(Files.readString(dir.resolve("summary.json")));
        for (String key : List.of("scenario", "policy", "seed", "world", "verdict", "jobsQueued", "jobsCompleted", "jobsLost",
                "jobsDuplicated", "pickupP50Seconds", "pickupP95Seconds", "runnersPeak", "listenerRestarts",
                "sessionConflicts", "apiCalls")) {
            assertTrue(summary.has(key), "summary.json lacks " + key + ": " + summary);
        }
        for (String invariant : List.of("no-job-lost", "no-job-twice", "runner-bounds", "no-session-leak")) {
            assertTrue(summary.get("invariants").get(invariant).get("ok").asBoolean(), invariant + ": " + summary);
        }
        List<String> history = Files.readAllLines(dir.resolve("history.jsonl"));
        assertTrue(history.stream().anyMatch(l -> l.contains("\"actor\":\"fake-github\"") && l.contains("\"type\":\"job-completed\"")));
        assertTrue(history.stream().anyMatch(l -> l.contains("\"actor\":\"controller\"")));
        assertTrue(history.stream().anyMatch(l -> l.contains("\"actor\":\"listener\"")));
        assertEquals(4, summary.get("jobsQueued").asInt());
        assertEquals(4, summary.get("jobsCompleted").asInt());
        assertEquals(0, summary.get("jobsLost").asInt());
        assertEquals(0, summary.get("jobsDuplicated").asInt());
        assertTrue(summary.get("runnersPeak").asInt() >= 1);
    }

    @Test
    void badOptionsExitWith2(@TempDir Path dir) {
        for (List<String> args : List.of(List.of("demo", "--duration", "soon"), List.of("demo", "--jobs", "0"),
                List.of("demo", "--policy", "fast"), List.of("demo", "--listener-binary", dir.resolve("ghalistener").toString()),
                List.of("suite", "--world", "wire", "--listener-binary", dir.toString()),
                List.of("scenario", "run", "graceful-shutdown", "--world", "sim", "--listener-binary", "/bin/sh"),
                List.of("suite", "--fidelity", "arc-current=/bin/sh"),
                List.of("suite", "--world", "wire", "--fidelity", "resilient=/bin/sh"),
                List.of("suite", "--world", "wire", "--policies", "arc-current", "--fidelity", "arc-current=/bin/sh"),
                List.of("suite", "--world", "wire", "--fidelity", "arc-current=" + dir.resolve("missing")))) {
            StringWriter err = new StringWriter();
            CommandLine cli = ArcsimCommand.commandLine();
            cli.setErr(new PrintWriter(err));
            assertEquals(2, cli.execute(args.toArray(String[]::new)), args + ": " + err);
            assertTrue(err.toString().startsWith("arcsim " + args.get(0)), err.toString());
            assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
        }
    }
}
