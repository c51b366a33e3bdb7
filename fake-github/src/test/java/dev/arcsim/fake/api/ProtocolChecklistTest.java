package dev.arcsim.fake.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.auth.Jwt;
import dev.arcsim.fake.testing.Golden;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;
import dev.arcsim.fake.testing.TestClient.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.header;
import static dev.arcsim.fake.testing.TestClient.jobMessages;
import static dev.arcsim.fake.testing.TestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per row of PROTOCOL.md §7, "Checklist for the fake service". The fault rows are covered here for the
 * answer's content and in {@code FaultKindsOverHttpTest} for what a socket sees.
 */
class ProtocolChecklistTest {

    private SteppingScheduler clock;
    private FakeGitHub fake;
    private TestClient client;
    private long scaleSetId;

    @BeforeEach
    void setUp() {
        clock = new SteppingScheduler();
        fake = new FakeGitHub(clock, FakeGitHub.Options.defaults());
        client = new TestClient(new InProcessTransport(fake), "acme").register();
        scaleSetId = client.createScaleSet("arc-runner-set");
    }

    private void fault(String json) {
        expect(client.adminApi("POST", "faults", json), 201);
    }

    @Test
    void gitHubRestIsServedUnderApiV3ForANonHostedConfigUrl() {
        var v3 = client.send("POST", client.transport().baseUrl() + "/api/v3/repos/acme/app/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_x"), null);
        expect(v3, 201);
        var bare = client.send("POST", client.transport().baseUrl() + "/repos/acme/app/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_x"), null);
        assertEquals(404, bare.status(), "GHES-style hosts are reached under /api/v3 only");
    }

    @Test
    void tokensAre201AndTheAdminTokenIsAJwtWithExp() {
        JsonNode claims = Jwt.readClaims(client.adminToken()).orElseThrow();
        long exp = claims.get("exp").asLong();
        assertEquals(clock.now().plus(fake.rules().adminTokenTtl()).getEpochSecond(), exp);
        assertEquals(3, client.adminToken().split("\\.").length);
    }

    @Test
    void successCodesAreExact() {
        Session s = client.createSession(scaleSetId, "pod");
        expect(client.refreshSession(scaleSetId, s.id()), 200);
        s = TestClient.session(json(client.refreshSession(scaleSetId, s.id())));
        expect(client.jitConfig(scaleSetId, "r1"), 200);
        expect(client.poll(s, 0, 10), 202);
        client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}");
        var msg = client.poll(s, 0, 10);
        expect(msg, 200);
        expect(client.ack(s, json(msg).get("messageId").asLong()), 204);
        expect(client.acquire(s, scaleSetId, List.of(1001L)), 200);
        expect(client.admin("DELETE", "_apis/distributedtask/pools/0/agents/999", null), 204);
        expect(client.deleteSession(scaleSetId, s.id()), 204);
        expect(client.admin("DELETE", "_apis/runtime/runnerscalesets/" + scaleSetId, null), 204);
    }

    @Test
    void errorsCarryTypeNameMessageActivityIdAndContentLength() {
        client.createSession(scaleSetId, "pod");
        var conflict = client.createSessionRaw(scaleSetId, "pod-2");
        expect(conflict, 409);
        assertTrue(json(conflict).get("typeName").asText().contains("RunnerScaleSetSessionConflictException"));
        assertFalse(json(conflict).get("message").asText().isEmpty());
        assertTrue(header(conflict, "ActivityId").isPresent());
        assertTrue(conflict.body().length > 0, "legacy ARC maps an empty error body to 'unknown exception'");
    }

    @Test
    void acquireToleratesDoubleSlashSortedQueryAndNilSessionId() {
        Session s = client.createSession(scaleSetId, "pod");  // body carries the nil sessionId
        client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}");
        // legacy AcquireJobs: Sprintf("%s/%s/%d/acquirejobs?...", serviceUrl ending in '/', ...) gives //_apis
        String url = client.serviceUrl() + "/_apis/runtime/runnerscalesets/" + scaleSetId + "/acquirejobs?api-version=6.0-preview";
        assertTrue(url.contains("//_apis"));
        var acquired = client.send("POST", url, Map.of("Authorization", "Bearer " + s.token()), "[1001]".getBytes(StandardCharsets.UTF_8));
        expect(acquired, 200);
        assertEquals(1, json(acquired).get("count").asInt());
        // Go's url.Values.Encode sorts keys: api-version before name before runnerGroupId
        var sorted = client.admin("GET", "_apis/runtime/runnerscalesets?name=arc-runner-set&runnerGroupId=1", null);
        expect(sorted, 200);
        assertEquals(1, json(sorted).get("count").asInt());
    }

    @Test
    void statisticsAndScaleSetIdAreAlwaysPresentBodyIsAStringAndTimesAreRfc3339() {
        Session s = client.createSession(scaleSetId, "pod");
        assertTrue(s.raw().get("statistics").isObject());
        assertEquals(scaleSetId, s.raw().get("runnerScaleSet").get("id").asLong());
        client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}");
        var msg = client.poll(s, 0, 10);
        assertTrue(json(msg).get("statistics").isObject());
        assertTrue(json(msg).get("body").isTextual(), "body is a JSON string holding an array");
        JsonNode job = jobMessages(msg).get(0);
        for (String t : List.of("queueTime", "scaleSetAssignTime", "runnerAssignTime", "finishTime")) {
            assertTrue(Golden.isRfc3339(job.get(t).asText()), t + " must be RFC 3339: " + job.get(t));
        }
    }

    @Nested
    class FaultsWorthInjecting {

        @Test
        void unauthorizedOnPollAckAndAcquireIsCuredByARefresh() {
            Session s = client.createSession(scaleSetId, "pod");
            fault("{\"kind\":\"status\",\"status\":401,\"endpoint\":[\"get-message\",\"ack-message\",\"acquire-jobs\"],\"count\":3}");
            expect(client.poll(s, 0, 10), 401);
            expect(client.ack(s, 1), 401);
            expect(client.acquire(s, scaleSetId, List.of(1L)), 401);
            Session refreshed = TestClient.session(json(client.refreshSession(scaleSetId, s.id())));
            expect(client.poll(refreshed, 0, 10), 202);
        }

        @Test
        void expiredMessageQueueTokenAnswers401UntilRefreshed() {
            expect(client.adminApi("PUT", "rules", "{\"messageQueueTokenTtlSeconds\":120,\"orphanSessionTtlSeconds\":300}"), 200);
            Session s = client.createSession(scaleSetId, "pod");
            clock.advance(Duration.ofSeconds(120));
            expect(client.poll(s, 0, 10), 401);
            Session refreshed = TestClient.session(json(client.refreshSession(scaleSetId, s.id())));
            expect(client.poll(refreshed, 0, 10), 202);
        }

        @Test
        void sessionConflictIsInjectable() {
            fault("{\"kind\":\"status\",\"status\":409,\"endpoint\":\"create-session\",\"count\":1}");
            var r = client.createSessionRaw(scaleSetId, "pod");
            expect(r, 409);
            assertTrue(json(r).get("typeName").asText().contains("RunnerScaleSetSessionConflictException"));
            expect(client.createSessionRaw(scaleSetId, "pod"), 200);
        }

        @Test
        void refreshAnswers404WhenTheServerDropsTheSession() {
            Session s = client.createSession(scaleSetId, "pod");
            fault("{\"kind\":\"status\",\"status\":404,\"endpoint\":\"refresh-session\",\"count\":1}");
            var r = client.refreshSession(scaleSetId, s.id());
            expect(r, 404);
            Golden.assertMatches("response/error-refresh-not-in-redis.json", json(r));
        }

        @Test
        void emptyBody200OnPollDeliversNothing() {
            Session s = client.createSession(scaleSetId, "pod");
            client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}");
            fault("{\"kind\":\"empty-200\",\"endpoint\":\"get-message\",\"count\":1}");
            var empty = client.poll(s, 0, 10);
            expect(empty, 200);
            assertEquals(0, empty.body().length);
            var real = client.poll(s, 0, 10);
            assertEquals(1, jobMessages(real).size(), "the message the empty 200 hid is delivered next");
        }

        @Test
        void emptyMessageQueueUrlOnRefresh() {
            Session s = client.createSession(scaleSetId, "pod");
            fault("{\"kind\":\"blank-field\",\"field\":\"messageQueueUrl\",\"endpoint\":\"refresh-session\"}");
            var r = client.refreshSession(scaleSetId, s.id());
            expect(r, 200);
            assertEquals("", json(r).get("messageQueueUrl").asText());
        }

        @Test
        void serverErrorsOutlastFourRetries() {
            Session s = client.createSession(scaleSetId, "pod");
            fault("{\"kind\":\"status\",\"status\":503,\"endpoint\":\"get-message\",\"count\":6}");
            for (int attempt = 1; attempt <= 5; attempt++) {
                expect(client.poll(s, 0, 10), 503);  // retryablehttp's 5 attempts all fail
            }
            expect(client.poll(s, 0, 10), 503);
            expect(client.poll(s, 0, 10), 202);
        }

        @Test
        void rateLimitsCarryRetryAfter() {
            fault("{\"kind\":\"status\",\"status\":429,\"retryAfterSeconds\":7,\"endpoint\":\"get-scale-set\",\"count\":1}");
            fault("{\"kind\":\"status\",\"status\":403,\"retryAfterSeconds\":60,\"endpoint\":\"registration-token\",\"count\":1}");
            var limited = client.admin("GET", "_apis/runtime/runnerscalesets?name=x", null);
            expect(limited, 429);
            assertEquals("7", header(limited, "Retry-After").orElseThrow());
            var rest = client.send("POST", client.transport().baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token",
                    Map.of("Authorization", "Bearer ghp_x"), null);
            expect(rest, 403);
            assertEquals("60", header(rest, "Retry-After").orElseThrow());
            assertEquals("0", header(rest, "X-RateLimit-Remaining").orElseThrow());
            assertTrue(json(rest).get("message").asText().contains("rate limit"));
        }

        @Test
        void aLongPollCanHangPastTheClientTimeout() {
            fault("{\"kind\":\"hang\",\"endpoint\":\"get-message\"}");
            JsonNode described = json(client.adminApi("GET", "faults", null)).get(0);
            assertEquals("hang", described.get("kind").asText());
            assertTrue(Duration.ofSeconds(described.get("seconds").asLong()).compareTo(Duration.ofMinutes(5)) > 0,
                    "the default hang outlasts ARC's 5-minute per-attempt timeout");
        }
    }

    @Test
    void journalRecordsEachRequestWithItsFaultsAndNoTokens() {
        Session s = client.createSession(scaleSetId, "pod");
        fault("{\"kind\":\"status\",\"status\":500,\"endpoint\":\"get-message\",\"count\":1}");
        client.poll(s, 0, 10);
        JsonNode journal = json(client.adminApi("GET", "journal?since=0", null));
        JsonNode last = journal.get("entries").get(journal.get("entries").size() - 1);
        assertEquals("get-message", last.get("endpoint").asText());
        assertEquals(500, last.get("status").asInt());
        assertEquals("status", last.get("faults").get(0).get("kind").asText());
        String all = journal.toString();
        assertFalse(all.contains(s.token()), "message-queue token in the journal");
        assertFalse(all.contains(client.adminToken()), "admin token in the journal");
        assertTrue(Instant.parse(last.get("at").asText()).equals(clock.now()));
    }
}
