package dev.arcsim.fake.api;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.state.Views;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request a client can send, to every endpoint: the fake answers each with a status it chose (never the 500 it
 * gives when its own code throws), never echoes a credential it was sent, and its counters still agree with its jobs.
 *
 * <p>{@code mvn verify} replays the committed corpus ({@code RequestFuzzTestInputs/}); {@code docs/fuzzing.md} says how
 * to fuzz for longer.
 */
class RequestFuzzTest {

    private static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD"};
    /** The service's paths; {id}, {session}, {message} and {runner} are filled with real or fuzzed values. */
    private static final String[] PATHS = {
            "/api/v3/orgs/{org}/actions/runners/registration-token",
            "/api/v3/repos/{org}/app/actions/runners/registration-token",
            "/api/v3/enterprises/{org}/actions/runners/registration-token",
            "/api/v3/app/installations/{id}/access_tokens",
            "/api/v3/actions/runner-registration",
            "{svc}_apis/runtime/runnerscalesets",
            "{svc}_apis/runtime/runnerscalesets/{id}",
            "{svc}_apis/runtime/runnerscalesets/{id}/sessions",
            "{svc}_apis/runtime/runnerscalesets/{id}/sessions/{session}",
            "{svc}_apis/runtime/runnerscalesets/{id}/messages",
            "{svc}_apis/runtime/runnerscalesets/{id}/messages/{message}",
            "{svc}_apis/runtime/runnerscalesets/{id}/acquirablejobs",
            "{svc}_apis/runtime/runnerscalesets/{id}/acquirejobs",
            "{svc}_apis/runtime/runnerscalesets/{id}/generatejitconfig",
            "{svc}_apis/runtime/runnergroups",
            "{svc}_apis/distributedtask/pools/0/agents",
            "{svc}_apis/distributedtask/pools/0/agents/{runner}",
            "{svc}_apis/arcsim/runner/connect",
            "{svc}_apis/arcsim/runner/job",
            "{svc}_apis/arcsim/runner/complete",
    };
    private static final String[] QUERY_KEYS = {"api-version", "name", "runnerGroupId", "groupName", "agentName",
            "lastMessageId", "sessionId"};

    /** A fake with a tenant, a scale set, a session, queued jobs and a registered runner, so deep paths are reachable. */
    private record Served(FakeGitHub fake, TestClient client, long scaleSetId, TestClient.Session session, String runnerToken) {
        static final String PAT = "ghp_fuzzfuzzfuzzfuzz";

        /** What a response may never hold; the session's token is only sent where the session is answered. */
        List<String> credentialsSent() {
            return List.of(client.adminToken(), runnerToken, PAT);
        }

        static Served start() {
            FakeGitHub fake = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults());
            TestClient client = new TestClient(new InProcessTransport(fake), "acme").register();
            long id = client.createScaleSet("arc-runner-set");
            TestClient.Session session = client.createSession(id, "pod");
            client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\",\"count\":3}");
            String runner = TestClient.runnerToken(TestClient.json(client.jitConfig(id, "runner-1")));
            return new Served(fake, client, id, session, runner);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void everyRequestGetsAnAnswerTheFakeChose(FuzzedDataProvider data) {
        Served s = Served.start();
        int requests = data.consumeInt(1, 8);
        for (int i = 0; i < requests && data.remainingBytes() > 0; i++) {
            Map<String, String> headers = new LinkedHashMap<>();
            String credential = credential(data, s);
            if (credential != null) {
                headers.put("Authorization", credential);
            }
            if (data.consumeBoolean()) {
                headers.put("X-ScaleSetMaxCapacity", data.consumeBoolean() ? Integer.toString(data.consumeInt()) : data.consumeString(12));
            }
            if (data.consumeBoolean()) {
                headers.put("Content-Type", data.pickValue(new String[] {"application/json", "text/plain", data.consumeString(20)}));
            }
            String method = data.consumeInt(0, 9) == 0 ? data.consumeString(8) : data.pickValue(METHODS);
            String url = url(data, s);
            byte[] body = body(data, s);
            ApiResponse r = s.fake().handle(ApiRequest.of(method.isBlank() ? "GET" : method, url, headers, body));
            check(r, s.credentialsSent(), url + (body == null ? "" : new String(body, StandardCharsets.UTF_8)));
        }
        for (Views.ScaleSetView set : s.fake().state().snapshot().scaleSets()) {
            assertEquals(s.fake().state().recountStatistics(set.id()), set.statistics(),
                    "the counters of scale set " + set.id() + " agree with its jobs");
        }
    }

    /**
     * @param issued the tokens this fake issued or a client holds (admin, message queue, runner, PAT): none may come
     *               back in an answer. Fuzzed credentials are not checked, since any text may also be the fake's own words.
     */
    private static void check(ApiResponse r, List<String> issued, String urlAndBody) {
        assertTrue(r.status() >= 200 && r.status() <= 599, "status " + r.status());
        String body = r.bodyText();
        assertFalse(r.status() == 500 && body.contains("fake-github failed"), "the fake's own code threw: " + body);
        for (String token : issued) {
            // a token the request also carried in its URL or body may come back as part of those
            assertFalse(body.contains(token) && !urlAndBody.contains(token), "the answer echoes a credential: " + body);
        }
    }

    private static String credential(FuzzedDataProvider data, Served s) {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> null;
            case 1 -> "Bearer " + s.client().adminToken();
            case 2 -> "Bearer " + s.session().token();
            case 3 -> "Bearer " + s.runnerToken();
            case 4 -> "Bearer " + Served.PAT;
            case 5 -> "RemoteAuth " + data.consumeString(40);
            case 6 -> data.pickValue(new String[] {"Bearer ", "token ", "Basic ", ""}) + data.consumeString(64);
            default -> data.consumeString(80);
        };
    }

    private static String url(FuzzedDataProvider data, Served s) {
        String base = s.client().transport().baseUrl();
        if (data.consumeInt(0, 15) == 0) {
            return base + "/" + data.consumeString(120);
        }
        String path = data.pickValue(PATHS)
                .replace("{svc}", s.client().serviceUrl().substring(base.length())
                        .replaceFirst("/tenant/\\d+/", java.util.regex.Matcher.quoteReplacement("/tenant/" + segment(data, "1") + "/")))
                .replace("{org}", data.consumeBoolean() ? "acme" : data.consumeString(20))
                .replace("{id}", segment(data, Long.toString(s.scaleSetId())))
                .replace("{session}", segment(data, s.session().id()))
                .replace("{message}", segment(data, "1"))
                .replace("{runner}", segment(data, "1"));
        StringBuilder url = new StringBuilder(base).append(path.startsWith("/") ? "" : "/").append(path);
        int params = data.consumeInt(0, 3);
        for (int p = 0; p < params; p++) {
            url.append(p == 0 ? '?' : '&').append(data.pickValue(QUERY_KEYS)).append('=').append(data.consumeString(24));
        }
        return url.toString();
    }

    /** A path segment: the real value, a number of any size, or any text. */
    private static String segment(FuzzedDataProvider data, String real) {
        return switch (data.consumeInt(0, 3)) {
            case 0, 1 -> real;
            case 2 -> Long.toString(data.consumeLong()).replace("-", "") + (data.consumeBoolean() ? "999999999999" : "");
            default -> data.consumeString(40);
        };
    }

    private static byte[] body(FuzzedDataProvider data, Served s) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> null;
            case 1 -> data.consumeBytes(512);
            case 2 -> ("{\"name\":\"" + data.consumeString(40) + "\",\"runnerGroupId\":" + data.consumeInt()
                    + ",\"labels\":[{\"type\":\"" + data.consumeString(8) + "\",\"name\":\"" + data.consumeString(8) + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            case 3 -> idList(data, s).getBytes(StandardCharsets.UTF_8);
            default -> ("{\"runnerRequestId\":" + (1001 + data.consumeInt(-2, 4)) + ",\"result\":\"" + data.consumeString(12)
                    + "\",\"url\":\"" + s.client().configUrl() + "\",\"runner_event\":\"register\",\"ownerName\":\""
                    + data.consumeString(16) + "\"}").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String idList(FuzzedDataProvider data, Served s) {
        List<String> ids = new ArrayList<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            ids.add(data.consumeBoolean() ? Long.toString(1001 + data.consumeInt(0, 3)) : data.consumeString(6));
        }
        return "[" + String.join(",", ids) + "]";
    }
}
