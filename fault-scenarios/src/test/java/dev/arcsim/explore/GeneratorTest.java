package dev.arcsim.explore;

import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioFile;
import dev.arcsim.scenario.ScenarioWriter;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random scenarios: one seed, one scenario; every one a valid file; and written files read back to the same value. */
class GeneratorTest {

    private static Scenario withoutWire(Scenario s) {
        return new Scenario(s.name(), s.description(), s.seed(), s.duration(), s.system(), s.rules(), s.workload(),
                s.timeline(), s.expect(), null);
    }

    @Test
    void aSeedMakesOneScenarioAndAnotherSeedAnother() {
        assertEquals(Generator.scenario(42, "resilient"), Generator.scenario(42, "resilient"));
        assertNotEquals(Generator.scenario(42, "resilient").timeline(), Generator.scenario(43, "resilient").timeline());
    }

    @Test
    void everyGeneratedScenarioIsAFileThatReadsBackToItself() {
        Set<String> actions = new HashSet<>();
        Set<String> faultKinds = new HashSet<>();
        for (long seed : Explorer.seeds(7, 300)) {
            Scenario s = Generator.scenario(seed, "resilient");
            String text = ScenarioWriter.write(s, "seed " + seed);
            assertEquals(s, ScenarioFile.parse(text, "generated.yaml"), text);
            assertTrue(s.timeline().size() >= 1 && s.timeline().size() <= 4);
            s.timeline().forEach(step -> {
                actions.add(step.action());
                if (step instanceof Scenario.Step.Fault f) {
                    faultKinds.add(f.fault().get("kind").asText());
                }
            });
        }
        // the search reaches every kind of disruption it claims to
        assertEquals(Set.of("fault", "rules", "kill-listener", "delete-listener", "evict-listener", "restart-controller",
                "restart-fake-github", "kubernetes-fault", "runner-pod-failures"), actions);
        assertEquals(Set.of("status", "connection-reset", "malformed-chunk", "empty-200", "latency", "lost-ack"), faultKinds);
    }

    @Test
    void everyCatalogueScenarioIsWrittenAsItIsRead() {
        for (Catalogue.Entry e : Catalogue.all()) {
            Scenario s = withoutWire(e.scenario());
            assertEquals(s, ScenarioFile.parse(ScenarioWriter.write(s, null), e.name() + ".yaml"), e.name());
        }
    }
}
