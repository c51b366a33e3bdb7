package dev.arcsim.scenario;

import dev.arcsim.report.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue × every policy × many seeds in the simulated world: each run must come out as its file states, so a
 * verdict that holds only for the seed in the file is found here. {@code -Darcsim.sweep.seeds=N} sets how many seeds
 * (default 20: the file's own and the 19 after it).
 */
class SimSeedSweepTest {

    private static final int SEEDS = Integer.getInteger("arcsim.sweep.seeds", 20);

    @Test
    void everyScenarioComesOutAsStatedUnderEverySeed() throws Exception {
        record Planned(String label, Future<RunSummary> result) {
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Planned> runs = new ArrayList<>();
        try {
            for (Catalogue.Entry e : Catalogue.all()) {
                for (String policy : CatalogueSuiteTest.POLICIES) {
                    for (int i = 0; i < SEEDS; i++) {
                        Scenario s = e.scenario().withPolicy(policy).withSeed(e.scenario().seed() + i);
                        runs.add(new Planned(e.name() + " / " + policy + " / seed " + s.seed(),
                                pool.submit(() -> ScenarioRunner.simulate(s).summary())));
                    }
                }
            }
            List<String> unexpected = new ArrayList<>();
            for (Planned p : runs) {
                RunSummary s = p.result().get(10, TimeUnit.MINUTES);
                if (!s.asExpected()) {
                    unexpected.add(p.label() + ": " + String.join("; ", s.unmetExpectations()) + "\n    replay: " + s.replay());
                }
            }
            assertEquals(Catalogue.NAMES.size() * CatalogueSuiteTest.POLICIES.size() * SEEDS, runs.size());
            assertTrue(unexpected.isEmpty(), unexpected.size() + " of " + runs.size() + " runs not as stated:\n"
                    + String.join("\n", unexpected));
        } finally {
            pool.shutdownNow();
        }
    }
}
