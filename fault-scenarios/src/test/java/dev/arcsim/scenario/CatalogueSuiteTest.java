package dev.arcsim.scenario;

import dev.arcsim.history.History;
import dev.arcsim.report.RunSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue as a CI suite: every scenario under every policy on the embedded world, one dynamic test per run,
 * each asserting the outcome the scenario states for that policy (resilient: every invariant holds; ARC's policies:
 * exactly the known breaks), so the table in docs/scenarios.md is a tested fact. For the two seed incidents the test also reads
 * the history for how the outcome came about: ARC's listener exits on 409 and is recreated; resilient does not exit.
 *
 * <p>Runs go {@value #PARALLEL} at a time (each is its own world on its own ports and mostly waits). Set
 * {@code -Darcsim.suite.scenarios=glob} to run a subset. Reports land in {@code target/suite/}.
 */
class CatalogueSuiteTest {

    static final int PARALLEL = 6;
    static final List<String> POLICIES = List.of("resilient", "arc-legacy", "arc-current");
    private static SuiteRunner runner;

    /** What the history must also show, per scenario and policy. */
    private static final Map<String, BiConsumer<String, History>> HISTORY_CHECKS = Map.of(
            "listener-sigkill-orphaned-session", (policy, h) -> {
                if (policy.equals("resilient")) {
                    assertEquals(0, exits(h, 1), "the new listener never exited");
                    assertTrue(count(h, "listener", "session-taken-over") >= 1, "it took the orphaned session over");
                } else {
                    assertTrue(count(h, "fake-github", "session-conflicted") >= 1, "409 already has an active session");
                    assertTrue(exits(h, 1) >= 1, "ARC's listener exits 1 on the 409");
                    assertTrue(endedAs(h, "expired"), "until the orphan TTL freed the session");
                }
            },
            "session-validation-rule-change", (policy, h) -> {
                assertTrue(count(h, "fake-github", "session-conflicted") >= 1, "the rule window answered 409");
                if (policy.equals("resilient")) {
                    assertEquals(0, exits(h, 1), "it never exited on a 409");
                    assertTrue(count(h, "listener", "retry") >= 1, "it backed off through the window");
                } else {
                    assertTrue(exits(h, 1) >= 2, "exit 1 on each 409 in the window: " + exits(h, 1));
                }
            });

    private static long count(History h, String actor, String type) {
        return h.events().stream().filter(e -> e.actor().equals(actor) && e.type().equals(type)).count();
    }

    private static long exits(History h, int code) {
        return h.events().stream().filter(e -> e.actor().equals("listener") && e.type().equals("listener-exited")
                && e.field("exitCode") instanceof Number n && n.intValue() == code).count();
    }

    private static boolean endedAs(History h, String reason) {
        return h.events().stream().anyMatch(e -> e.actor().equals("fake-github") && e.type().equals("session-ended")
                && reason.equals(e.text("reason")));
    }

    /** The API server the runs are on; {@link RealClusterCatalogueSuiteTest} plays the catalogue on a real one. */
    protected dev.arcsim.world.ClusterKind cluster() {
        return dev.arcsim.world.ClusterKind.MOCK;
    }

    protected int parallel() {
        return PARALLEL;
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioUnderEveryPolicyComesOutAsItsScenarioStates() {
        String glob = System.getProperty("arcsim.suite.scenarios", "*");
        var matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Catalogue.Entry> entries = Catalogue.all().stream().filter(e -> matcher.matches(Path.of(e.name()))).toList();
        List<SuiteRunner.Run> runs = SuiteRunner.plan(entries, POLICIES, Path.of("target", "suite-" + cluster().label()));
        runner = new SuiteRunner(parallel(), "wire", cluster(), line -> { });
        List<CompletableFuture<RunSummary>> futures = runner.start(runs);
        return IntStream.range(0, runs.size()).mapToObj(i -> DynamicTest.dynamicTest(runs.get(i).label(), () -> {
            SuiteRunner.Run run = runs.get(i);
            RunSummary s = futures.get(i).get(10, TimeUnit.MINUTES);
            assertTrue(s.asExpected(), String.join("; ", s.unmetExpectations()) + "\n" + s.table() + "  replay: " + s.replay());
            if (run.policy().equals("resilient")) {
                assertEquals("pass", s.verdict(), "resilient must hold every invariant");
            }
            Path history = run.dir().resolve("history.jsonl");
            assertTrue(Files.exists(run.dir().resolve("report.html")) && Files.exists(run.dir().resolve("report.md")));
            BiConsumer<String, History> extra = HISTORY_CHECKS.get(run.entry().name());
            if (extra != null) {
                extra.accept(run.policy(), History.readJsonl(history));
            }
        }));
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
    }
}
