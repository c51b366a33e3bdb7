package dev.arcsim.fake.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.rules.SessionConflict;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control API under /_arcsim/ and the start configuration file. */
class AdminApiTest {

    private FakeGitHub fake;
    private TestClient client;

    @BeforeEach
    void setUp() {
        fake = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults());
        client = new TestClient(new InProcessTransport(fake), "acme");
    }

    @Test
    void jobsAreQueuedWithTheirIds() {
        var r = client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\",\"count\":3,\"durationSeconds\":30}");
        expect(r, 201);
        assertEquals("[1001,1002,1003]", json(r).get("ids").toString());
        JsonNode state = json(client.adminApi("GET", "state", null));
        assertEquals(3, state.get("jobsByState").get("available").asInt());
        assertEquals(30, state.get("jobs").get(0).get("durationSeconds").asInt());
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"count\":2}|scaleSet|is required",
            "{\"scaleSet\":\"s\",\"count\":0}|count|between 1 and",
            "{\"scaleSet\":\"s\",\"count\":\"two\"}|count|must be an integer",
            "{\"scaleSet\":\"s\",\"durationSeconds\":-5}|durationSeconds|between 0 and",
            "{\"scaleSet\":\"s\",\"colour\":\"red\"}|colour|unknown field"})
    void badJobRequestsName(String body, String field, String problem) {
        var r = client.adminApi("POST", "jobs", body);
        expect(r, 400);
        assertEquals(field, json(r).get("field").asText());
        assertTrue(json(r).get("error").asText().contains(problem), json(r).get("error").asText());
        assertEquals(0, fake.state().snapshot().jobs().size(), "nothing is queued by a bad request");
    }

    @Test
    void rulesArePartiallyUpdatedAndABadUpdateChangesNothing() {
        var ok = client.adminApi("PUT", "rules", "{\"longPollSeconds\":2,\"sessionConflict\":\"reject-all\"}");
        expect(ok, 200);
        assertEquals(2, json(ok).get("longPollSeconds").asInt());
        assertEquals(300, json(ok).get("orphanSessionTtlSeconds").asInt(), "fields left out keep their value");

        var bad = client.adminApi("PUT", "rules", "{\"longPollSeconds\":9,\"sessionConflict\":\"lenient\"}");
        expect(bad, 400);
        assertEquals("sessionConflict", json(bad).get("field").asText());
        assertTrue(json(bad).get("error").asText().contains("strict, replace, reject-all"));
        assertEquals(2, fake.rules().longPollSeconds(), "the valid half of a bad update is not applied");
        assertEquals(SessionConflict.REJECT_ALL, fake.rules().sessionConflict());

        var typo = client.adminApi("PUT", "rules", "{\"longPollSecond\":9}");
        expect(typo, 400);
        assertTrue(json(typo).get("error").asText().contains("unknown field"));
    }

    @Test
    void faultsAreAddedListedAndRemoved() {
        var added = client.adminApi("POST", "faults", "{\"kind\":\"status\",\"status\":503,\"endpoint\":\"get-message\",\"probability\":0.5}");
        expect(added, 201);
        String id = json(added).get("id").asText();
        expect(client.adminApi("POST", "faults", "{\"kind\":\"latency\",\"distribution\":\"lognormal\",\"medianMs\":200}"), 201);
        assertEquals(2, json(client.adminApi("GET", "faults", null)).size());
        expect(client.adminApi("DELETE", "faults/" + id, null), 204);
        assertEquals(1, json(client.adminApi("GET", "faults", null)).size());
        var missing = client.adminApi("DELETE", "faults/" + id, null);
        expect(missing, 404);
        expect(client.adminApi("DELETE", "faults", null), 204);
        assertEquals(0, json(client.adminApi("GET", "faults", null)).size());
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"kind\":\"teleport\"}|kind|allowed: status, latency",
            "{\"status\":503}|kind|is required",
            "{\"kind\":\"status\",\"status\":418}|status|must be one of",
            "{\"kind\":\"status\",\"status\":503,\"probability\":1.5}|probability|between 0.0 and 1.0",
            "{\"kind\":\"status\",\"status\":503,\"endpoint\":\"get-mesage\"}|endpoint|unknown endpoint",
            "{\"kind\":\"status\",\"status\":503,\"at\":30,\"until\":10}|until|must be after at",
            "{\"kind\":\"latency\",\"distribution\":\"uniform\",\"minMs\":50,\"maxMs\":10}|maxMs|must not be below minMs",
            "{\"kind\":\"latency\"}|ms|is required for a fixed latency",
            "{\"kind\":\"hang\",\"seconds\":0}|seconds|between 1 and",
            "{\"kind\":\"status\",\"status\":503,\"path\":\"[\"}|path|not a valid regular expression",
            "{\"kind\":\"blank-field\"}|field|is required",
            "{\"kind\":\"empty-200\",\"count\":-1}|count|between 1 and"})
    void badFaultsName(String body, String field, String problem) {
        var r = client.adminApi("POST", "faults", body);
        expect(r, 400);
        assertEquals(field, json(r).get("field").asText());
        assertTrue(json(r).get("error").asText().contains(problem), json(r).get("error").asText());
        assertEquals(0, json(client.adminApi("GET", "faults", null)).size());
    }

    @Test
    void aFaultWithACountStopsAfterItsHitsAndAWindowOnlyActsInside() {
        var transport = client.transport();
        client.adminApi("POST", "faults", "{\"kind\":\"status\",\"status\":500,\"endpoint\":\"registration-token\",\"count\":2}");
        Map<String, String> pat = Map.of("Authorization", "Bearer ghp_x");
        String url = transport.baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token";
        assertEquals(500, client.send("POST", url, pat, null).status());
        assertEquals(500, client.send("POST", url, pat, null).status());
        assertEquals(201, client.send("POST", url, pat, null).status());
        JsonNode listed = json(client.adminApi("GET", "faults", null)).get(0);
        assertEquals(2, listed.get("hits").asInt());
        assertTrue(listed.get("exhausted").asBoolean());
    }

    @Test
    void aCountedFaultThatAnOuterFaultPreemptedKeepsItsCountAndIsNotReportedAsInjected() {
        java.util.List<String> injected = new java.util.concurrent.CopyOnWriteArrayList<>();
        fake.observe((at, type, fields) -> {
            if (type.equals("fault-injected")) {
                injected.add(String.valueOf(fields.get("fault")));
            }
        });
        String outer = json(client.adminApi("POST", "faults",
                "{\"kind\":\"status\",\"status\":503,\"endpoint\":\"registration-token\"}")).get("id").asText();
        String inner = json(client.adminApi("POST", "faults",
                "{\"kind\":\"status\",\"status\":500,\"endpoint\":\"registration-token\",\"count\":1}")).get("id").asText();
        Map<String, String> pat = Map.of("Authorization", "Bearer ghp_x");
        String url = client.transport().baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token";
        assertEquals(503, client.send("POST", url, pat, null).status());
        assertEquals(503, client.send("POST", url, pat, null).status());
        assertEquals(java.util.List.of(outer, outer), injected, "only the fault that answered was injected");
        expect(client.adminApi("DELETE", "faults/" + outer, null), 204);
        assertEquals(500, client.send("POST", url, pat, null).status(), "the count-1 500 was never seen, so it is still due");
        assertEquals(201, client.send("POST", url, pat, null).status());
        assertEquals(inner, injected.get(2));
    }

    @Test
    void unknownAdminPathsListWhatExists() {
        var r = client.adminApi("GET", "stat", null);
        expect(r, 404);
        assertTrue(json(r).get("error").asText().contains("GET /_arcsim/state"));
    }

    @Test
    void anAdminTokenIsRequiredWhenConfigured() {
        FakeGitHub guarded = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults().withAdminToken("s3cret"));
        TestClient c = new TestClient(new InProcessTransport(guarded), "acme");
        expect(c.adminApi("GET", "state", null), 401);
        var ok = c.send("GET", c.transport().baseUrl() + "/_arcsim/state", Map.of("Authorization", "Bearer s3cret"), null);
        expect(ok, 200);
    }

    @Test
    void aConfigFileSetsRulesFaultsAndRunnerGroups(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fake.yaml");
        Files.writeString(file, """
                rules:
                  sessionConflict: replace
                  longPollSeconds: 5
                faults:
                  - kind: status
                    status: 503
                    endpoint: get-message
                    probability: 0.25
                runnerGroups: [ci]
                """);
        fake.apply(FakeConfig.read(file));
        assertEquals(SessionConflict.REPLACE, fake.rules().sessionConflict());
        assertEquals(5, fake.rules().longPollSeconds());
        assertEquals(1, fake.faults().describe().size());
        assertEquals(2, fake.state().runnerGroupsNamed("ci").get(0).id());
    }

    @Test
    void aBadConfigFileNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "faults:\n  - kind: status\n    status: 503\n  - kind: latency\n    distribution: gaussian\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FakeConfig.read(file));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        assertEquals("faults[1].distribution", e.field());

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "rules: [\n");
        InvalidInputException syntax = assertThrows(InvalidInputException.class, () -> FakeConfig.read(broken));
        assertTrue(syntax.getMessage().contains("line"), syntax.getMessage());

        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> FakeConfig.read(dir.resolve("nope.yaml")));
        assertTrue(missing.getMessage().contains("does not exist"));
    }

    /** Found by AdminApiFuzzTest: a path pattern is the operator's regex, and one that backtracks without end must not hang requests. */
    @Test
    void aPathPatternThatBacktracksWithoutEndMatchesNothingInsteadOfHangingTheRequest() {
        expect(client.adminApi("POST", "faults", "{\"kind\":\"status\",\"status\":409,\"path\":\"^/(a+)+$\"}"), 201);
        expect(client.adminApi("POST", "faults", "{\"kind\":\"status\",\"status\":503,\"path\":\"^/api/v3/\"}"), 201);
        var catastrophic = client.send("GET", client.transport().baseUrl() + "/" + "a".repeat(60) + "!", Map.of(), null);
        assertEquals(404, catastrophic.status(), "the pattern gave up and the request went to routing: " + catastrophic.bodyText());
        var plain = client.send("POST", client.transport().baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_x"), null);
        assertEquals(503, plain.status(), "an ordinary pattern still matches");
    }
}
