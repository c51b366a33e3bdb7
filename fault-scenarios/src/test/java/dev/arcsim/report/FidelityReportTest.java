package dev.arcsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a model and its binary agree, and how fidelity.md and fidelity.json say so. */
class FidelityReportTest {

    private static FidelityReport.Side side(String verdict, List<String> broken, int restarts, long conflicts) {
        return new FidelityReport.Side(verdict, broken, restarts, conflicts, 0, 0, 4.2, List.of(), "x/report.md", null);
    }

    @Test
    void theSameVerdictAndBrokenInvariantsAgreeWhateverTheCounts() {
        var row = FidelityReport.Row.of("s", "arc-current", "/b", "ab", side("expected-fail", List.of("bounded-recovery"), 30, 29),
                side("expected-fail", List.of("bounded-recovery"), 31, 30));
        assertTrue(row.agree());
    }

    @Test
    void anotherVerdictOrAnotherBrokenInvariantOrARunThatCouldNotPlayDisagrees() {
        assertFalse(FidelityReport.Row.of("s", "m", "/b", "ab", side("pass", List.of(), 1, 0),
                side("expected-fail", List.of("bounded-recovery"), 1, 0)).agree());
        assertFalse(FidelityReport.Row.of("s", "m", "/b", "ab", side("fail", List.of("no-job-lost"), 1, 0),
                side("fail", List.of("bounded-recovery"), 1, 0)).agree(), "same verdict, other invariant");
        assertFalse(FidelityReport.Row.of("s", "m", "/b", null, side("pass", List.of(), 1, 0),
                FidelityReport.Side.failed("exited with code 2")).agree());
    }

    @Test
    void theReportsShowBothSidesAndFlagTheRowsThatDisagree(@TempDir Path dir) throws Exception {
        List<FidelityReport.Row> rows = List.of(
                FidelityReport.Row.of("lost-ack-redelivery", "arc-current", "/p/ghalistener", "abc123",
                        side("expected-fail", List.of("no-job-lost"), 0, 0), side("expected-fail", List.of("no-job-lost"), 0, 0)),
                FidelityReport.Row.of("network-partition", "arc-current", "/p/ghalistener", "abc123",
                        side("pass", List.of(), 1, 0), side("fail", List.of("bounded-recovery"), 3, 2)));
        FidelityReport.write(rows, dir, "./arcsim suite --fidelity arc-current=/p/ghalistener");

        String md = Files.readString(dir.resolve("fidelity.md"));
        assertTrue(md.contains("| lost-ack-redelivery | arc-current | yes |"), md);
        assertTrue(md.contains("| network-partition | arc-current | **NO** |"), md);
        assertTrue(md.contains("| 1 / 3 | 0 / 2 |"), "restarts and 409s, model / binary: " + md);
        assertTrue(md.contains("`/p/ghalistener` (sha256 `abc123`)"), md);
        assertTrue(md.contains("1 of 2 rows disagree"), md);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("fidelity.json").toFile());
        assertFalse(json.get("agree").asBoolean());
        assertEquals(2, json.get("rows").size());
        assertEquals("fail", json.get("rows").get(1).get("binaryRun").get("verdict").asText());
        assertEquals(2, json.get("rows").get(1).get("binaryRun").get("sessionConflicts").asInt());
    }

    @Test
    void aFullStackRunIsAThirdSideThatMustAgreeToo(@TempDir Path dir) throws Exception {
        var agreeing = FidelityReport.Row.of("listener-sigkill-orphaned-session", "arc-0.8", "/p/0.8.1", "abc123",
                side("expected-fail", List.of("bounded-recovery"), 1, 1), side("expected-fail", List.of("bounded-recovery"), 1, 1),
                side("expected-fail", List.of("bounded-recovery"), 1, 1));
        var fullStackDiffers = FidelityReport.Row.of("server-errors-beyond-retries", "arc-0.8", "/p/0.8.1", "abc123",
                side("pass", List.of(), 1, 0), side("pass", List.of(), 1, 0), side("expected-fail", List.of("bounded-recovery"), 4, 3));
        var fullStackFailed = FidelityReport.Row.of("s", "arc-0.8", "/p/0.8.1", "abc123",
                side("pass", List.of(), 1, 0), side("pass", List.of(), 1, 0), FidelityReport.Side.failed("manager exited with code 2"));
        assertTrue(agreeing.agree());
        assertFalse(fullStackDiffers.agree(), "model and binary agree, the full stack does not");
        assertFalse(fullStackFailed.agree());

        FidelityReport.write(List.of(agreeing, fullStackDiffers, fullStackFailed), dir, "./arcsim suite --fidelity arc-0.8=/p/0.8.1");
        String md = Files.readString(dir.resolve("fidelity.md"));
        assertTrue(md.contains("third value is the *full stack*"), md);
        assertTrue(md.contains("| 1 / 1 / 4 | 0 / 0 / 3 |"), "restarts and 409s, model / binary / full stack: " + md);
        assertTrue(md.contains("| listener-sigkill-orphaned-session | arc-0.8 | yes |"), md);
        assertTrue(md.contains("manager exited with code 2"), "a full-stack run that could not play is named: " + md);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("fidelity.json").toFile());
        assertEquals("expected-fail", json.get("rows").get(1).get("fullStackRun").get("verdict").asText());
        assertTrue(FidelityReport.table(List.of(fullStackDiffers)).contains("pass / pass / expected-fail"));
    }
}
