package dev.arcsim.scenario;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario YAML: any text is a scenario or one {@link ScenarioFile.Invalid} naming the file (and the line and field
 * where there are any); a scenario that reads is written back as it was read. The corpus starts from catalogue files.
 */
class ScenarioFileFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void anyTextIsAScenarioOrOneErrorNamingWhereAndReadsBackAsWritten(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Scenario read;
        try {
            read = ScenarioFile.parse(text, "fuzz.yaml");
        } catch (ScenarioFile.Invalid e) {
            assertTrue(e.getMessage().startsWith("fuzz.yaml"), e.getMessage());
            assertTrue(e.line() >= 0, "a line number or 0 for the whole file: " + e.line());
            return;
        }
        Scenario plain = new Scenario(read.name(), read.description(), read.seed(), read.duration(), read.system(),
                read.rules(), read.workload(), read.timeline(), read.expect(), null);
        assertEquals(plain, ScenarioFile.parse(ScenarioWriter.write(plain, null), "written.yaml"), "written as read");
    }
}
