package dev.arcsim.fake.http;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.testing.HttpTransport;
import dev.arcsim.fake.testing.TestClient;
import dev.arcsim.fake.testing.TestClient.Session;
import dev.arcsim.fake.time.SystemScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each fault kind, injected on the message poll, observed by a plain JDK HttpClient as the fault it claims to be.
 * Every request is bounded by a client timeout.
 */
class FaultKindsOverHttpTest {

    private static FakeGitHubServer server;
    private static TestClient client;
    private static long scaleSetId;
    private Session session;

    @BeforeAll
    static void start() {
        server = FakeGitHubServer.start(new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults()), 0);
        client = new TestClient(new HttpTransport(server.baseUrl(), Duration.ofSeconds(30)), "acme").register();
        scaleSetId = client.createScaleSet("arc-runner-set");
        expect(client.adminApi("PUT", "rules", "{\"longPollSeconds\":1,\"sessionConflict\":\"replace\"}"), 200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshSessionAndNoFaults() {
        expect(client.adminApi("DELETE", "faults", null), 204);
        session = client.createSession(scaleSetId, "pod");
        expect(client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}"), 201);
    }

    private void fault(String json) {
        expect(client.adminApi("POST", "faults", json), 201);
    }

    /**
     * One poll on a fresh connection. Like Go's net/http, the JDK client silently retries an idempotent request once
     * when a reused keep-alive connection fails before any byte, which would hide a single injected break.
     */
    private HttpResponse<byte[]> poll(Duration timeout) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return send(http, timeout);
        }
    }

    private HttpResponse<byte[]> send(HttpClient http, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(session.queueUrl()))
                .header("Authorization", "Bearer " + session.token()).header("X-ScaleSetMaxCapacity", "10")
                .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long lastSeq() {
        return json(client.adminApi("GET", "journal?since=0", null)).get("lastSeq").asLong();
    }

    private static long brokenSince(long seq, String outcome) {
        var entries = json(client.adminApi("GET", "journal?since=" + seq, null)).get("entries");
        long n = 0;
        for (var e : entries) {
            if (e.get("endpoint").asText().equals("get-message") && e.get("outcome").asText().equals(outcome)) {
                n++;
            }
        }
        return n;
    }

    private void drainQueue() {
        long last = 0;
        while (true) {
            var r = client.poll(session, last, 10);
            if (r.status() != 200) {
                return;
            }
            last = json(r).get("messageId").asLong();
            client.ack(session, last);
        }
    }

    @Test
    void statusAnswersWithTheStatusAnErrorBodyAndRetryAfter() throws Exception {
        fault("{\"kind\":\"status\",\"status\":503,\"retryAfterSeconds\":3,\"endpoint\":\"get-message\",\"count\":1}");
        HttpResponse<byte[]> r = poll(Duration.ofSeconds(10));
        assertEquals(503, r.statusCode());
        assertEquals("3", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(Integer.toString(r.body().length), r.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(new String(r.body()).contains("\"typeName\""));
        assertTrue(r.headers().firstValue("ActivityId").isPresent());
    }

    @Test
    void latencyHoldsTheAnswerPastAShorterClientTimeout() {
        fault("{\"kind\":\"latency\",\"distribution\":\"fixed\",\"ms\":5000,\"endpoint\":\"get-message\",\"count\":1}");
        assertThrows(HttpTimeoutException.class, () -> poll(Duration.ofMillis(1000)));
    }

    @Test
    void dribbleSendsTheBodyChunkedAndIntact() throws Exception {
        fault("{\"kind\":\"dribble\",\"chunks\":5,\"durationMs\":500,\"endpoint\":\"get-message\",\"count\":1}");
        HttpResponse<byte[]> r = poll(Duration.ofSeconds(10));
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElse(""));
        assertTrue(TestClient.JSON.readTree(r.body()).get("body").asText().contains("JobAvailable"));
    }

    @Test
    void connectionResetIsAnIoError() {
        // The JDK client (like Go's net/http) retries an idempotent GET once after a failure with no bytes read,
        // so a single break goes unseen: it takes two.
        fault("{\"kind\":\"connection-reset\",\"endpoint\":\"get-message\",\"count\":2}");
        long before = lastSeq();
        assertThrows(IOException.class, () -> poll(Duration.ofSeconds(10)));
        assertEquals(2, brokenSince(before, "connection-reset"), "the client's own retry met the second break");
    }

    @Test
    void emptyResponseIsAnIoError() {
        // The JDK client (like Go's net/http) retries an idempotent GET once after a failure with no bytes read,
        // so a single break goes unseen: it takes two.
        fault("{\"kind\":\"empty-response\",\"endpoint\":\"get-message\",\"count\":2}");
        long before = lastSeq();
        assertThrows(IOException.class, () -> poll(Duration.ofSeconds(10)));
        assertEquals(2, brokenSince(before, "empty-response"), "the client's own retry met the second break");
    }

    @Test
    void malformedChunkIsAnIoError() {
        fault("{\"kind\":\"malformed-chunk\",\"endpoint\":\"get-message\",\"count\":1}");
        assertThrows(IOException.class, () -> poll(Duration.ofSeconds(10)));
    }

    @Test
    void randomDataIsAnIoError() {
        fault("{\"kind\":\"random-data\",\"endpoint\":\"get-message\",\"count\":1}");
        assertThrows(IOException.class, () -> poll(Duration.ofSeconds(10)));
    }

    @Test
    void empty200IsA200WithNoBody() throws Exception {
        fault("{\"kind\":\"empty-200\",\"endpoint\":\"get-message\",\"count\":1}");
        HttpResponse<byte[]> r = poll(Duration.ofSeconds(10));
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals("0", r.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void hangOutlastsTheClientTimeout() {
        fault("{\"kind\":\"hang\",\"seconds\":4,\"endpoint\":\"get-message\",\"count\":1}");
        assertThrows(HttpTimeoutException.class, () -> poll(Duration.ofSeconds(1)));
    }

    @Test
    void lostAckIsAppliedThenTheConnectionResets() throws Exception {
        drainQueue();
        expect(client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\"}"), 201);
        var msg = client.poll(session, 0, 10);
        long id = json(msg).get("messageId").asLong();
        fault("{\"kind\":\"lost-ack\",\"endpoint\":\"ack-message\",\"count\":1}");
        assertThrows(java.io.UncheckedIOException.class, () -> client.ack(session, id));
        assertEquals(202, client.poll(session, 0, 10).status(), "the ack was applied: nothing is redelivered");
    }

    @Test
    void blankFieldEmptiesAFieldOfAServedAnswer() {
        fault("{\"kind\":\"blank-field\",\"field\":\"messageQueueUrl\",\"endpoint\":\"refresh-session\",\"count\":1}");
        var r = client.refreshSession(scaleSetId, session.id());
        expect(r, 200);
        assertEquals("", json(r).get("messageQueueUrl").asText());
        assertFalse(json(r).get("messageQueueAccessToken").asText().isEmpty());
    }
}
