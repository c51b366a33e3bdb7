package dev.arcsim.fake.admin;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.WireJson;
import dev.arcsim.fake.testing.SteppingScheduler;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API's JSON (jobs, rules, faults, journal): any body is answered with a status the API documents, a
 * refusal names what was wrong, and a refused call changes nothing. Then the fake still serves: whatever rules and
 * faults were accepted, a service call is never the fake's own-code 500.
 */
class AdminApiFuzzTest {

    private static final String[][] CALLS = {{"POST", "jobs"}, {"PUT", "rules"}, {"PATCH", "rules"}, {"POST", "faults"},
            {"DELETE", "faults/"}, {"GET", "journal?since="}, {"GET", "state"}, {"DELETE", "faults"}, {"GET", "faults"}};
    /** Every field name the admin API's readers know, so that bodies reach past "unknown field". */
    private static final String[] FIELDS = {"scaleSet", "count", "durationSeconds", "owner", "repository", "workflow",
            "displayName", "eventName", "id", "kind", "endpoint", "method", "path", "status", "probability", "at", "until",
            "ms", "minMs", "maxMs", "medianMs", "sigma", "distribution", "seconds", "chunks", "durationMs", "field",
            "typeName", "message", "retryAfterSeconds", "as", "longPollSeconds", "orphanSessionTtlSeconds",
            "sessionConflict", "messageQueueTokenTtlSeconds", "adminTokenTtlSeconds", "evictSessionOnRefresh",
            "jobReassignments", "jobReassignAfterSeconds", "maxJobMessagesPerMessage", "scaleSetDeleted"};
    private static final String[] WORDS = {"strict", "replace", "reject-all", "latency", "status", "hang", "dribble",
            "empty-200", "blank-field", "lost-ack", "connection-reset", "empty-response", "malformed-chunk", "random-data",
            "get-message", "create-session", "acquire-jobs", "refresh-session", "runner-registration", "uniform",
            "lognormal", "GET", "POST", "arc-runner-set", "10s", "2m", ""};
    private static final Set<Integer> DOCUMENTED = Set.of(200, 201, 204, 400, 404, 413);

    @FuzzTest(maxDuration = "10m")
    void anyAdminCallIsAnsweredAsDocumentedAndARefusalChangesNothing(FuzzedDataProvider data) throws Exception {
        FakeGitHub fake = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults());
        int calls = data.consumeInt(1, 4);
        for (int i = 0; i < calls && data.remainingBytes() > 0; i++) {
            String[] call = data.pickValue(CALLS);
            String path = call[1].endsWith("/") || call[1].endsWith("=") ? call[1] + data.consumeString(12) : call[1];
            byte[] body = data.consumeBoolean() ? data.consumeBytes(256) : json(data, 0).toString().getBytes(StandardCharsets.UTF_8);
            String before = observable(fake);
            ApiResponse r = fake.handle(ApiRequest.of(call[0], "http://fake.test/_arcsim/" + path, Map.of(), body));
            assertTrue(DOCUMENTED.contains(r.status()), call[0] + " " + path + " -> " + r.status() + " " + r.bodyText());
            if (r.status() >= 400) {
                JsonNode problem = WireJson.read(r.body());
                assertTrue(problem.hasNonNull("error") && !problem.get("error").asText().isBlank(), r.bodyText());
                assertEquals(before, observable(fake), "a refused call changed nothing: " + r.bodyText());
            }
        }
        ApiResponse served = fake.handle(ApiRequest.of("POST", "http://fake.test/api/v3/orgs/acme/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_x"), null));
        assertTrue(!(served.status() == 500 && served.bodyText().contains("fake-github failed")), served.bodyText());
    }

    /** Rules, faults and jobs: what an admin call can change. */
    private static String observable(FakeGitHub fake) {
        return fake.rules() + "|" + fake.faults().describe() + "|" + fake.state().counts();
    }

    /** A JSON object of known fields with values of any type, nested a little. */
    private static JsonNode json(FuzzedDataProvider data, int depth) {
        ObjectNode o = WireJson.MAPPER.createObjectNode();
        int fields = data.consumeInt(0, 6);
        for (int f = 0; f < fields; f++) {
            String name = data.consumeInt(0, 9) == 0 ? data.consumeString(10) : data.pickValue(FIELDS);
            switch (data.consumeInt(0, 7)) {
                case 0 -> o.put(name, data.consumeInt());
                case 1 -> o.put(name, data.consumeLong());
                case 2 -> o.put(name, data.consumeRegularDouble());
                case 3 -> o.put(name, data.consumeBoolean());
                case 4 -> o.putNull(name);
                case 5 -> {
                    if (depth < 2) {
                        ArrayNode a = o.putArray(name);
                        int n = data.consumeInt(0, 3);
                        for (int k = 0; k < n; k++) {
                            a.add(json(data, depth + 1));
                        }
                    }
                }
                case 6 -> o.put(name, data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(20));
                default -> {
                    if (depth < 2) {
                        o.set(name, json(data, depth + 1));
                    }
                }
            }
        }
        return o;
    }
}
