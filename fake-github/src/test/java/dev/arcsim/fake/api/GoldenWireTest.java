package dev.arcsim.fake.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.testing.Golden;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;
import dev.arcsim.fake.testing.TestClient.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.json;
import static dev.arcsim.fake.testing.TestClient.jobMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every request and response kind against the golden documents written from PROTOCOL.md: what ARC sends is
 * accepted, and what the fake answers has exactly the fields, types and fixed values ARC reads.
 */
class GoldenWireTest {

    private static final String RUNNER = "arc-runner-set-abcde-runner-x1y2z";
    private static final String OWNER = "arc-runner-set-754b578d-listener";

    private FakeGitHub fake;
    private TestClient client;

    @BeforeEach
    void setUp() {
        fake = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults());
        client = new TestClient(new InProcessTransport(fake), "acme");
    }

    private static String golden(String name) {
        return Golden.load(name).toString();
    }

    @Test
    void authChainAnswersMatchGolden() {
        var transport = client.transport();
        var reg = client.send("POST", transport.baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_x"), null);
        expect(reg, 201);
        Golden.assertMatches("response/registration-token.json", json(reg));

        String appJwt = unsignedJwt("{\"iss\":\"123456\",\"iat\":1767261540,\"exp\":1767262080}");
        var access = client.send("POST", transport.baseUrl() + "/api/v3/app/installations/42/access_tokens",
                Map.of("Authorization", "Bearer " + appJwt, "Content-Type", "application/vnd.github+json"), null);
        expect(access, 201);
        Golden.assertMatches("response/access-token.json", json(access));

        var admin = client.send("POST", transport.baseUrl() + "/api/v3/actions/runner-registration",
                Map.of("Authorization", "RemoteAuth " + json(reg).get("token").asText()),
                ("{\"url\":\"" + client.configUrl() + "\",\"runner_event\":\"register\"}\n").getBytes(StandardCharsets.UTF_8));
        expect(admin, 201);
        Golden.assertMatches("response/runner-registration.json", json(admin));
    }

    @Test
    void scaleSetRequestsOfBothLinesAreAcceptedAndAnswersMatchGolden() {
        client.register();
        var created = client.admin("POST", "_apis/runtime/runnerscalesets", golden("request/create-scale-set.current.json"));
        expect(created, 200);
        Golden.assertMatches("response/runner-scale-set.json", json(created));

        TestClient legacy = new TestClient(client.transport(), "legacy-org").register();
        var legacyCreated = legacy.admin("POST", "_apis/runtime/runnerscalesets", golden("request/create-scale-set.legacy.json"));
        expect(legacyCreated, 200);
        assertEquals(true, json(legacyCreated).get("RunnerSetting").get("ephemeral").asBoolean());

        var list = client.admin("GET", "_apis/runtime/runnerscalesets?runnerGroupId=1&name=arc-runner-set", null);
        expect(list, 200);
        Golden.assertMatches("response/runner-scale-set-list.json", json(list));
        var none = client.admin("GET", "_apis/runtime/runnerscalesets?runnerGroupId=1&name=nope", null);
        Golden.assertMatches("response/runner-scale-set-list-empty.json", json(none));

        var groups = client.admin("GET", "_apis/runtime/runnergroups/?groupName=Default", null);
        expect(groups, 200);
        Golden.assertMatches("response/runner-group-list.json", json(groups));

        long id = json(created).get("id").asLong();
        var updated = client.admin("PATCH", "_apis/runtime/runnerscalesets/" + id, golden("request/update-scale-set.json"));
        expect(updated, 200);
        assertEquals("arc-runner-set-renamed", json(updated).get("name").asText());
        assertEquals(true, json(updated).get("RunnerSetting").get("disableUpdate").asBoolean(),
                "an empty RunnerSetting in a partial update leaves the setting alone");

        expect(client.admin("DELETE", "_apis/runtime/runnerscalesets/" + id, null), 204);
        var gone = client.admin("GET", "_apis/runtime/runnerscalesets/" + id, null);
        expect(gone, 404);
        Golden.assertMatches("response/error-scale-set-not-found.json", json(gone));
    }

    @Test
    void sessionLifecycleAnswersMatchGolden() {
        client.register();
        long id = client.createScaleSet("arc-runner-set");
        for (String body : List.of("request/create-session.current.json", "request/create-session.legacy.json")) {
            var created = client.admin("POST", "_apis/runtime/runnerscalesets/" + id + "/sessions", golden(body));
            expect(created, 200);
            Golden.assertMatches("response/session.json", json(created));
            var conflict = client.admin("POST", "_apis/runtime/runnerscalesets/" + id + "/sessions", golden(body));
            expect(conflict, 409);
            Golden.assertMatches("response/error-session-conflict.json", json(conflict));
            String sid = json(created).get("sessionId").asText();

            var refreshed = client.refreshSession(id, sid);
            expect(refreshed, 200);
            Golden.assertMatches("response/session.json", json(refreshed));

            expect(client.deleteSession(id, sid), 204);
            var again = client.deleteSession(id, sid);
            expect(again, 400);
            Golden.assertMatches("response/error-session-expired.json", json(again));
            var refreshGone = client.refreshSession(id, sid);
            expect(refreshGone, 404);
            Golden.assertMatches("response/error-refresh-not-in-redis.json", json(refreshGone));
        }
    }

    @Test
    void jobLifecycleMessagesMatchGolden() {
        client.register();
        long id = client.createScaleSet("arc-runner-set");
        Session session = client.createSession(id, OWNER);
        var queued = client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\",\"count\":2}");
        expect(queued, 201);
        List<Long> ids = new ArrayList<>();
        json(queued).get("ids").forEach(n -> ids.add(n.asLong()));

        var first = client.poll(session, 0, 10);
        expect(first, 200);
        Golden.assertMatches("response/message.json", json(first));
        JsonNode available = jobMessages(first);
        assertEquals(2, available.size());
        available.forEach(m -> Golden.assertMatches("response/job-available.json", m));
        long lastId = json(first).get("messageId").asLong();
        expect(client.ack(session, lastId), 204);

        String acquireBody = ((ArrayNode) TestClient.JSON.valueToTree(ids)).toString();
        var acquired = client.send("POST", client.serviceUrl() + "_apis/runtime/runnerscalesets/" + id + "/acquirejobs?api-version=6.0-preview",
                Map.of("Authorization", "Bearer " + session.token()), acquireBody.getBytes(StandardCharsets.UTF_8));
        expect(acquired, 200);
        Golden.assertMatches("response/acquire-jobs.json", json(acquired));

        var assigned = client.poll(session, lastId, 10);
        jobMessages(assigned).forEach(m -> Golden.assertMatches("response/job-assigned.json", m));
        lastId = json(assigned).get("messageId").asLong();
        client.ack(session, lastId);

        var jit = client.admin("POST", "_apis/runtime/runnerscalesets/" + id + "/generatejitconfig",
                golden("request/generate-jit-config.json"));
        expect(jit, 200);
        Golden.assertMatches("response/jit-config.json", json(jit));
        var taken = client.admin("POST", "_apis/runtime/runnerscalesets/" + id + "/generatejitconfig",
                golden("request/generate-jit-config.json"));
        expect(taken, 409);
        Golden.assertMatches("response/error-agent-exists.json", json(taken));
        var byName = client.admin("GET", "_apis/distributedtask/pools/0/agents?agentName=" + RUNNER, null);
        Golden.assertMatches("response/runner-reference-list.json", json(byName));

        String runnerToken = TestClient.runnerToken(json(jit));
        expect(client.runner(runnerToken, "connect", null), 200);
        var job = client.runner(runnerToken, "job", null);
        expect(job, 200);
        var started = client.poll(session, lastId, 10);
        jobMessages(started).forEach(m -> Golden.assertMatches("response/job-started.json", m));
        lastId = json(started).get("messageId").asLong();
        client.ack(session, lastId);

        long runnerId = json(jit).get("runner").get("id").asLong();
        var busy = client.admin("DELETE", "_apis/distributedtask/pools/0/agents/" + runnerId, null);
        expect(busy, 400);
        Golden.assertMatches("response/error-job-still-running.json", json(busy));

        expect(client.runner(runnerToken, "complete",
                "{\"runnerRequestId\":" + json(job).get("runnerRequestId").asLong() + ",\"result\":\"succeeded\"}"), 204);
        var completed = client.poll(session, lastId, 10);
        jobMessages(completed).forEach(m -> Golden.assertMatches("response/job-completed.json", m));
    }

    @Test
    void legacyAcquirableJobsIs204WhenEmptyAndListsAvailableJobs() {
        client.register();
        long id = client.createScaleSet("arc-runner-set");
        expect(client.admin("GET", "_apis/runtime/runnerscalesets/" + id + "/acquirablejobs", null), 204);
        client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}");
        var listed = client.admin("GET", "_apis/runtime/runnerscalesets/" + id + "/acquirablejobs", null);
        expect(listed, 200);
        Golden.assertMatches("response/acquirable-jobs.json", json(listed));
    }

    @Test
    void gitHubRestErrorsUseGitHubsBody() {
        FakeGitHub pinned = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults().withPinnedToken("ghp_right"));
        TestClient c = new TestClient(new InProcessTransport(pinned), "acme");
        var denied = c.send("POST", c.transport().baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_wrong"), null);
        expect(denied, 401);
        Golden.assertMatches("response/error-github.json", json(denied));
    }

    private static String unsignedJwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
