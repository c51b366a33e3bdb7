package dev.arcsim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.arcsim.check.Bound;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scenario format: what a good file means, the one clear error a bad one gets, and the schema agreeing. */
class ScenarioFileTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String GOOD = """
            name: kill-once
            description: one kill
            seed: 5
            duration: 90s
            system:
              minRunners: 1
              maxRunners: 4
              policy: arc-current
            rules:
              longPollSeconds: 2
            workload:
              arrivals: {process: constant, jobs: 6, over: 20s}
              jobDuration: {distribution: uniform, min: 1s, max: 3s}
            timeline:
              - {at: 5s, do: kill-listener}
              - {at: 8s, until: 1m, do: fault, fault: {kind: status, status: 503, endpoint: get-message}}
            expect:
              recoveryWithin: 12s
              policies:
                arc-current: {breaks: [bounded-recovery], listenerRestarts: {min: 2}}
            """;

    @Test
    void aFileReadsToTheSameScenarioTheJavaBuilderMakes() {
        Scenario fromFile = ScenarioFile.parse(GOOD, "kill-once.yaml");
        Scenario built = Scenario.builder("kill-once").description("one kill").seed(5).duration(Duration.ofSeconds(90))
                .system(new Scenario.Setup(1, 4, "arc-current", Map.of(), Duration.ofMillis(200), Duration.ofSeconds(300)))
                .rule("longPollSeconds", 2)
                .workload(new Scenario.Arrivals.Constant(6, Duration.ofSeconds(20)),
                        new Scenario.JobDuration.Uniform(Duration.ofSeconds(1), Duration.ofSeconds(3)))
                .step(new Scenario.Step.KillListener(Duration.ofSeconds(5)))
                .step(new Scenario.Step.Fault(Duration.ofSeconds(8), Duration.ofMinutes(1), (com.fasterxml.jackson.databind.node.ObjectNode)
                        new ObjectMapper().createObjectNode().put("kind", "status").put("status", 503).put("endpoint", "get-message")))
                .recoveryWithin(Duration.ofSeconds(12))
                .expect("arc-current", new Scenario.PolicyOutcome(Set.of("bounded-recovery"),
                        List.of(new Bound("listenerRestarts", 2, null))))
                .build();
        assertEquals(built, fromFile);
        assertEquals(Set.of("bounded-recovery"), fromFile.expected().breaks());
        assertEquals(Set.of(), fromFile.withPolicy("resilient").expected().breaks(), "a policy not named holds everything");
    }

    private static final String WIRE = """
            wire:
              duration: 30s
              rules: {orphanSessionTtlSeconds: 20}
              system: {policyParameters: {resilient: {capSeconds: 5}}}
              workload:
                arrivals: {process: poisson, perSecond: 0.5, over: 10s}
              expect: {recoveryWithin: 6s}
            """;

    @Test
    void aWireBlockCompressesTheRealTimingsForAWallClockRunOnly() {
        Scenario s = ScenarioFile.parse(GOOD + WIRE, "kill-once.yaml");
        Scenario wire = s.forWorld("wire");
        assertEquals(s, s.forWorld("sim"), "the simulated world plays the file's own, real timings");
        assertEquals(Duration.ofSeconds(90), s.duration());
        assertEquals(Duration.ofSeconds(30), wire.duration());
        // objects merge field by field: the file's long poll stays, the TTL is added
        assertEquals(2, wire.rules().get("longPollSeconds").asInt());
        assertEquals(20, wire.rules().get("orphanSessionTtlSeconds").asInt());
        assertFalse(s.rules().has("orphanSessionTtlSeconds"));
        assertEquals(4, wire.system().maxRunners());
        assertEquals(Map.of("capSeconds", 5), wire.withPolicy("resilient").system().parameters());
        // an arrival process is replaced whole: constant's jobs field does not leak into poisson
        assertEquals(new Scenario.Arrivals.Poisson(0.5, Duration.ofSeconds(10)), wire.workload().arrivals());
        assertEquals(s.workload().jobDuration(), wire.workload().jobDuration());
        assertEquals(Duration.ofSeconds(6), wire.expect().recoveryWithin());
        assertEquals(s.expect().policies(), wire.expect().policies());
        assertEquals(s.timeline(), wire.timeline());
        // the command line's policy and seed reach both variants
        assertEquals("resilient", s.withPolicy("resilient").forWorld("wire").policy());
        assertEquals(9, s.withSeed(9).forWorld("wire").seed());
    }

    @Test
    void aWireBlockIsCheckedAsStrictlyAsTheRestOfTheFile() {
        ScenarioFile.Invalid e = bad(GOOD + WIRE.replace("duration: 30s", "name: other"));
        assertEquals(22, e.line());
        assertEquals("bad.yaml:22: wire.name: a wire block changes only duration, system, rules, workload, timeline, "
                + "expect; \"name\" is the same in both worlds", e.getMessage());
        e = bad(GOOD + WIRE.replace("orphanSessionTtlSeconds: 20", "orphanSessionTtlSeconds: soon"));
        assertEquals(23, e.line());
        assertTrue(e.getMessage().startsWith("bad.yaml:23: wire.rules.orphanSessionTtlSeconds: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(in the wire variant)"), e.getMessage());
        e = bad(GOOD + WIRE.replace("perSecond: 0.5", "jobs: 3"));
        assertEquals(26, e.line());
        assertEquals("bad.yaml:26: wire.workload.arrivals.perSecond: is required (a number) (in the wire variant)",
                e.getMessage());
    }

    @Test
    void aLongerRunKeepsTheArrivalRateForTheSameShareOfTheRun() {
        Scenario s = ScenarioFile.parse(GOOD, "kill-once.yaml");   // 6 jobs over 20 s of a 90 s run
        Scenario day = s.withDuration(Duration.ofHours(24));
        assertEquals(Duration.ofHours(24), day.duration());
        assertEquals(new Scenario.Arrivals.Constant(5760, Duration.ofMinutes(320)), day.workload().arrivals());
        assertEquals(s.timeline(), day.timeline(), "the timeline stays where it is");
        Scenario poisson = ScenarioFile.parse(GOOD + WIRE, "p.yaml").forWorld("wire").withDuration(Duration.ofMinutes(1));
        assertEquals(new Scenario.Arrivals.Poisson(0.5, Duration.ofSeconds(20)), poisson.workload().arrivals());
    }

    @Test
    void aDurationOptionIsReadLikeAFileDuration() {
        assertEquals(Duration.ofHours(24), ScenarioFile.parseDuration("24h", "--duration"));
        assertEquals(Duration.ofSeconds(90), ScenarioFile.parseDuration("90", "--duration"));
        assertEquals("--duration must be a duration such as 500ms, 20s, 2m or 1h, or a number of seconds, got \"a day\"",
                assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parseDuration("a day", "--duration")).getMessage());
        assertEquals("--duration must be more than zero, got 0s",
                assertThrows(IllegalArgumentException.class, () -> ScenarioFile.parseDuration("0s", "--duration")).getMessage());
    }

    private static ScenarioFile.Invalid bad(String text) {
        return assertThrows(ScenarioFile.Invalid.class, () -> ScenarioFile.parse(text, "bad.yaml"));
    }

    private static String replace(String from, String to) {
        assertTrue(GOOD.contains(from), from);
        return GOOD.replace(from, to);
    }

    @Test
    void anUnknownFieldNamesItsLineAndWhatIsAllowed() {
        ScenarioFile.Invalid e = bad(replace("  maxRunners: 4", "  maxRunners: 4\n  maxRunner: 5"));
        assertEquals(8, e.line());
        assertEquals("bad.yaml:8: system.maxRunner: unknown field; allowed here: minRunners, maxRunners, policy, "
                + "policyParameters, controllerPass, requestTimeout, listenerBinary", e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeNamesItsLine() {
        ScenarioFile.Invalid e = bad(replace("jobs: 6", "jobs: six"));
        assertEquals(12, e.line());
        assertEquals("bad.yaml:12: workload.arrivals.jobs: must be an integer, got string \"six\"", e.getMessage());
    }

    @Test
    void aNegativeDurationIsRefusedOnItsLine() {
        ScenarioFile.Invalid e = bad(replace("{at: 5s, do: kill-listener}", "{at: -5s, do: kill-listener}"));
        assertEquals(15, e.line());
        assertEquals("bad.yaml:15: timeline[0].at: must not be negative, got -5s", e.getMessage());
        assertTrue(bad(replace("recoveryWithin: 12s", "recoveryWithin: soon")).getMessage()
                .contains("expect.recoveryWithin: must be a duration such as 500ms, 20s, 2m or 1h, or a number of seconds"));
    }

    @Test
    void anUnknownFaultKindListsTheKinds() {
        ScenarioFile.Invalid e = bad(replace("kind: status", "kind: gremlins"));
        assertEquals(16, e.line());
        assertTrue(e.getMessage().startsWith("bad.yaml:16: timeline[1].fault.kind: unknown fault kind \"gremlins\"; allowed: status, "),
                e.getMessage());
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsRefused() {
        ScenarioFile.Invalid e = bad(replace("{at: 8s, until: 1m,", "{at: 8s, until: 4s,"));
        assertEquals(16, e.line());
        assertEquals("bad.yaml:16: timeline[1].until: must be after at (8s), got 4s", e.getMessage());
    }

    @Test
    void aFaultStepWithoutUntilIsRefusedRatherThanInjectingNothing() {
        ScenarioFile.Invalid e = bad(replace("{at: 8s, until: 1m,", "{at: 8s,"));
        assertEquals("bad.yaml:16: timeline[1].until: is required: \"fault\" is a window", e.getMessage());
    }

    @Test
    void aStepsFaultNamesOnlyTheFieldsItTakesAndRefusesAnIdItWouldLose() {
        String unknown = bad(replace("endpoint: get-message}", "endpoint: get-message, foo: 1}")).getMessage();
        assertTrue(unknown.startsWith("bad.yaml:16: timeline[1].fault.foo: unknown field; allowed here: "), unknown);
        String allowed = unknown.substring(unknown.indexOf("allowed here: ") + "allowed here: ".length());
        for (String field : java.util.List.of("at", "until", "id")) {
            assertFalse(java.util.List.of(allowed.split(", ")).contains(field), "a step's fault takes no " + field + ": " + unknown);
        }
        assertTrue(allowed.contains("probability") && allowed.contains("count"), unknown);
        assertEquals("bad.yaml:16: timeline[1].fault.id: a step's fault is named after its window (w1, w2, ...) in the "
                + "history; leave out id", bad(replace("endpoint: get-message}", "endpoint: get-message, id: mine}")).getMessage());
    }

    @Test
    void otherMistakesEachGetOneLineToo() {
        assertEquals("bad.yaml:15: timeline[0].do: unknown action \"kill-it\"; allowed: fault, rules, kill-listener, "
                + "delete-listener, evict-listener, restart-controller, restart-fake-github, kubernetes-fault, "
                + "runner-pod-failures, rival-listener, update-runner-set",
                bad(replace("do: kill-listener", "do: kill-listener".replace("listener", "it"))).getMessage());
        assertEquals("bad.yaml:10: rules.longPollSecond: unknown field; allowed here: sessionConflict, orphanSessionTtlSeconds, "
                        + "longPollSeconds, messageQueueTokenTtlSeconds, adminTokenTtlSeconds, maxJobMessagesPerMessage, "
                        + "evictSessionOnRefresh, scaleSetDeleted, jobReassignments, jobReassignAfterSeconds",
                bad(replace("longPollSeconds: 2", "longPollSecond: 2")).getMessage());
        assertEquals("bad.yaml:8: system.policy: unknown policy \"fast\"; choose one of resilient, arc-0.8, arc-legacy, arc-current",
                bad(replace("policy: arc-current", "policy: fast")).getMessage());
        assertEquals("bad.yaml:20: expect.policies.arc-current.breaks: must be a list of bounded-recovery, no-job-lost, "
                + "no-job-twice, no-runner-leak, no-session-leak, runner-bounds, got \"recovery\"",
                bad(replace("breaks: [bounded-recovery]", "breaks: [recovery]")).getMessage());
        assertEquals("bad.yaml:7: system.maxRunners: must be at least minRunners (1), got 0",
                bad(replace("maxRunners: 4", "maxRunners: 0")).getMessage());
        assertEquals("bad.yaml:15: timeline[0].until: \"kill-listener\" is a one-off action and takes no until",
                bad(replace("{at: 5s, do: kill-listener}", "{at: 5s, until: 9s, do: kill-listener}")).getMessage());
        assertEquals("bad.yaml:16: timeline[1].fault.at: set the window on the step (its at and until), not on the fault",
                bad(replace("endpoint: get-message}", "endpoint: get-message, at: 3}")).getMessage());
        assertEquals("bad.yaml:1: workload: is required (arrivals and jobDuration)",
                bad(GOOD.substring(0, GOOD.indexOf("workload:")) + GOOD.substring(GOOD.indexOf("timeline:"))).getMessage());
        ScenarioFile.Invalid syntax = bad(replace("  minRunners: 1", "  minRunners: [1"));
        assertTrue(syntax.getMessage().startsWith("bad.yaml:"), syntax.getMessage());
        assertTrue(syntax.getMessage().contains("not valid YAML"), syntax.getMessage());
        assertEquals("bad.yaml:7: system.minRunners: appears twice (first on line 6)",
                bad(replace("  maxRunners: 4", "  minRunners: 4")).getMessage());
    }

    @Test
    void aMissingFileIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        ScenarioFile.Invalid e = assertThrows(ScenarioFile.Invalid.class, () -> ScenarioFile.read(dir.resolve("nope.yaml")));
        assertEquals(dir.resolve("nope.yaml") + ": no such file", e.getMessage());
    }

    @Test
    void durationsReadWithUnitsOrAsSeconds() {
        assertEquals(Duration.ofMillis(1500), ScenarioFile.toDuration(new ObjectMapper().valueToTree(1.5), "d"));
        assertEquals(Duration.ofMillis(250), ScenarioFile.toDuration(new ObjectMapper().valueToTree("250ms"), "d"));
        assertEquals(Duration.ofMinutes(2), ScenarioFile.toDuration(new ObjectMapper().valueToTree("2m"), "d"));
        assertEquals(Duration.ofHours(1), ScenarioFile.toDuration(new ObjectMapper().valueToTree("1h"), "d"));
        assertEquals("1500ms", ScenarioFile.text(Duration.ofMillis(1500)));
    }

    private static JsonSchema schema() throws Exception {
        try (InputStream in = ScenarioFile.class.getResourceAsStream(ScenarioFile.SCHEMA_RESOURCE)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCatalogueFileReadsAndMatchesTheSchema() throws Exception {
        JsonSchema schema = schema();
        Path dir = Path.of("scenarios");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertEquals(Set.copyOf(Catalogue.NAMES), Set.copyOf(yaml.stream()
                    .map(f -> f.getFileName().toString().replace(".yaml", "")).toList()), "the catalogue lists every file");
            return yaml.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                String text = Files.readString(f);
                assertTrue(text.startsWith("# "), "a header comment traces the scenario to its failure");
                Scenario s = ScenarioFile.parse(text, f.toString());
                assertEquals(f.getFileName().toString(), s.name() + ".yaml");
                Set<ValidationMessage> errors = schema.validate(YAML.readTree(text));
                assertTrue(errors.isEmpty(), errors.toString());
            }));
        }
    }

    @Test
    void theSchemaRefusesWhatTheLoaderRefuses() throws Exception {
        JsonSchema schema = schema();
        assertTrue(schema.validate(YAML.readTree(GOOD)).isEmpty(), schema.validate(YAML.readTree(GOOD)).toString());
        for (String[] change : List.of(
                new String[] {"  maxRunners: 4", "  maxRunners: 4\n  maxRunner: 5"},
                new String[] {"jobs: 6", "jobs: six"},
                new String[] {"{at: 5s, do: kill-listener}", "{at: -5s, do: kill-listener}"},
                new String[] {"kind: status", "kind: gremlins"},
                new String[] {"do: kill-listener", "do: kill-it"},
                new String[] {"policy: arc-current", "policy: fast"},
                new String[] {"longPollSeconds: 2", "longPollSecond: 2"})) {
            String text = replace(change[0], change[1]);
            bad(text);
            JsonNode node = YAML.readTree(text);
            assertFalse(schema.validate(node).isEmpty(), "the schema accepts what the loader refuses: " + change[1]);
        }
    }
}
