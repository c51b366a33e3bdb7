package dev.arcsim.scenario;

import dev.arcsim.report.RunSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue in the simulated world: every scenario under every policy comes out as its file states, as in the
 * wire world, and runs twice to the same history.jsonl, byte for byte. Reports land in {@code target/suite-sim/}.
 */
class SimCatalogueTest {

    private static SuiteRunner runner;

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioUnderEveryPolicyComesOutAsStatedAndReplaysExactly() {
        List<Catalogue.Entry> entries = Catalogue.all();
        List<SuiteRunner.Run> first = SuiteRunner.plan(entries, CatalogueSuiteTest.POLICIES, Path.of("target", "suite-sim", "a"));
        List<SuiteRunner.Run> second = SuiteRunner.plan(entries, CatalogueSuiteTest.POLICIES, Path.of("target", "suite-sim", "b"));
        runner = new SuiteRunner(2, "sim", line -> { });
        List<CompletableFuture<RunSummary>> a = runner.start(first);
        List<CompletableFuture<RunSummary>> b = runner.start(second);
        return IntStream.range(0, first.size()).mapToObj(i -> DynamicTest.dynamicTest(first.get(i).label(), () -> {
            RunSummary s = a.get(i).get(5, TimeUnit.MINUTES);
            assertEquals("sim", s.world());
            assertTrue(s.asExpected(), String.join("; ", s.unmetExpectations()) + "\n" + s.table() + "  replay: " + s.replay());
            b.get(i).get(5, TimeUnit.MINUTES);
            assertEquals(sha256(first.get(i).dir().resolve("history.jsonl")), sha256(second.get(i).dir().resolve("history.jsonl")),
                    "the same scenario, policy and seed give the same history");
        }));
    }

    @Test
    void anotherSeedGivesAnotherHistory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Scenario s = Catalogue.load("listener-sigkill-orphaned-session").scenario();
        ScenarioRunner sim = new ScenarioRunner(line -> { }, java.time.Duration.ofSeconds(1), "sim");
        sim.run(s, "x", null, dir.resolve("a"));
        sim.run(s.withSeed(8), "x", null, dir.resolve("b"));
        assertNotEquals(sha256(dir.resolve("a/history.jsonl")), sha256(dir.resolve("b/history.jsonl")));
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
    }
}
