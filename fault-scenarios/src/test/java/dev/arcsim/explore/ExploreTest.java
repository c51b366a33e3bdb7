package dev.arcsim.explore;

import dev.arcsim.report.RunSummary;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search in the simulated world: it catches a policy with a planted bug and shrinks the failure to a small
 * scenario that replays it, and over a bounded number of tries finds nothing against the resilient policy.
 */
class ExploreTest {

    @Test
    void theSearchCatchesAPlantedBugAndShrinksItToAScenarioThatReplaysIt(@TempDir Path out) throws Exception {
        List<String> progress = new ArrayList<>();
        Explorer.Outcome outcome = new Explorer("broken-ack-first", 60, 2, progress::add).explore(5, 40, out);
        assertFalse(outcome.found().isEmpty(), "the search missed the planted bug:\n" + String.join("\n", progress));
        Explorer.Found found = outcome.found().get(0);
        assertTrue(found.broken().contains("no-job-lost"), found.broken().toString());
        assertTrue(found.shrunk().timeline().size() <= found.generated().timeline().size());
        assertTrue(found.shrunk().timeline().size() <= 2, "shrunk to the steps the bug needs: " + found.shrunk().timeline());

        // the written file is a scenario that replays the failure, and shows the bug is the policy's
        Scenario replay = ScenarioFile.read(found.file());
        assertEquals(found.shrunk(), replay);
        assertTrue(Files.readString(found.file()).startsWith("# Found by arcsim explore under policy broken-ack-first"));
        RunSummary again = Explorer.play(replay);
        assertTrue(again.broken().containsAll(found.broken()), "replayed: " + again.broken());
        assertEquals(Set.of(), Explorer.play(replay.withPolicy("resilient")).broken(),
                "the same timeline holds under resilient");
    }

    @Test
    void aBoundedSearchFindsNothingAgainstResilient(@TempDir Path out) throws Exception {
        List<String> progress = new ArrayList<>();
        Explorer.Outcome outcome = new Explorer("resilient", 20, 2, progress::add).explore(2026, 40, out);
        assertEquals(40, outcome.tried());
        assertEquals(List.of(), outcome.found().stream().map(f -> f.generated().name() + " broke " + f.broken()
                + " -> " + f.file()).toList(), String.join("\n", progress));
    }
}
