package dev.arcsim.listener.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.state.Tenant;
import dev.arcsim.listener.testing.FakeTransport;
import dev.arcsim.listener.testing.SharedClock;
import dev.arcsim.listener.wire.WireResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener's client against the fake in-process, on one virtual clock. */
class ActionsClientTest {

    private final SharedClock clock = new SharedClock();
    private FakeGitHub fake;
    private long scaleSetId;

    @BeforeEach
    void setUp() {
        fake = new FakeGitHub(clock, FakeGitHub.Options.defaults());
        Tenant tenant = fake.state().tenantFor("organization", "acme", "acme", null);
        scaleSetId = fake.state().createScaleSet(tenant, "arc-runner-set", null, null, null).id();
    }

    private ActionsClient client(ActionsClient.Credentials credentials) {
        return new ActionsClient(new FakeTransport(fake), clock, ConfigUrl.parse(FakeTransport.BASE + "/acme"), credentials,
                Duration.ofMinutes(5), "arcsim-test", false);
    }

    private long calls(String endpoint) {
        return fake.journal().since(0).stream().map(Journal.Entry::endpoint).filter(endpoint::equals).count();
    }

    @Test
    void theAdminTokenIsReusedUntilSixtySecondsBeforeItsExp() throws Exception {
        fake.updateRules(new ObjectMapper().readTree("{\"orphanSessionTtlSeconds\":3600}"));  // the session outlives the jump
        ActionsClient c = client(new ActionsClient.Credentials.Pat("ghp_x"));
        MessageSession s = c.createSession(scaleSetId, "pod", false);
        assertEquals(1, calls("runner-registration"));
        clock.advance(Duration.ofSeconds(600 - 61));   // 61 s left of the default 600 s admin token
        c.refreshSession(scaleSetId, s.sessionId());
        assertEquals(1, calls("runner-registration"));
        clock.advance(Duration.ofSeconds(2));          // 59 s left: refresh first
        c.refreshSession(scaleSetId, s.sessionId());
        assertEquals(2, calls("runner-registration"));
        assertEquals(2, calls("registration-token"), "the registration token is not cached");
    }

    @Test
    void aGitHubAppSignsAnRs256JwtAndGetsAnInstallationToken() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);  // the RSAPrivateKey inside PrivateKeyInfo
        assertArrayEquals(pkcs8, GitHubAppJwt.wrapPkcs1(pkcs1), "PKCS#1 is wrapped into the same PKCS#8");
        String pkcs1Pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n";

        GitHubAppJwt jwt = new GitHubAppJwt("123456", pkcs1Pem);
        String token = jwt.sign(clock.now());
        String[] parts = token.split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(pair.getPublic());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(Base64.getUrlDecoder().decode(parts[2])), "RS256 signature");
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals(clock.now().getEpochSecond() - 60, claims.get("iat").asLong());
        assertEquals(claims.get("iat").asLong() + 540, claims.get("exp").asLong());
        assertEquals("123456", claims.get("iss").asText());

        ActionsClient c = client(new ActionsClient.Credentials.App(42, jwt));
        c.createSession(scaleSetId, "pod", true);
        assertEquals(1, calls("access-token"));
    }

    @Test
    void aBadPrivateKeyIsNamedWithoutQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GitHubAppJwt("1", "-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----"));
        assertTrue(e.getMessage().startsWith("github_app_private_key is not a usable RSA private key"), e.getMessage());
        assertFalse(e.getMessage().contains("QUJD"));
    }

    /** Fails the first message poll after the response's head, as a malformed chunk does on the wire. */
    private ActionsClient clientWhoseFirstPollBodyBreaks(java.util.concurrent.atomic.AtomicInteger polls) {
        FakeTransport wire = new FakeTransport(fake);
        dev.arcsim.listener.wire.Transport breaking = request -> {
            if (request.uri().getPath().endsWith("/messages") && polls.incrementAndGet() == 1) {
                throw new dev.arcsim.listener.wire.BodyReadException(200, new java.io.IOException("Illegal character in chunk size"));
            }
            return wire.send(request);
        };
        return new ActionsClient(breaking, clock, ConfigUrl.parse(FakeTransport.BASE + "/acme"),
                new ActionsClient.Credentials.Pat("ghp_x"), Duration.ofMinutes(5), "arcsim-test", false);
    }

    @Test
    void aBodyThatBreaksOffAfterTheStatusEndsArcsCallButResilientRetriesIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ActionsClient arc = clientWhoseFirstPollBodyBreaks(calls);
        MessageSession s = arc.createSession(scaleSetId, "pod-arc", false);
        var arcRetrier = new dev.arcsim.listener.policy.Retrier(dev.arcsim.listener.policy.ListenerPolicy.arcCurrent(),
                new dev.arcsim.listener.testing.SteppingScheduler(), new java.util.SplittableRandom(1), (type, fields) -> { });
        MalformedResponseException e = assertThrows(MalformedResponseException.class, () ->
                arcRetrier.call("get-message", () -> arc.getMessage(s, 0, 10)));
        assertEquals(1, calls.get(), "go-retryablehttp retries only what fails before the response is in hand");
        assertTrue(e.getMessage().contains("status 200, then the body broke off"), e.getMessage());
        arc.deleteSession(scaleSetId, s.sessionId());

        java.util.concurrent.atomic.AtomicInteger again = new java.util.concurrent.atomic.AtomicInteger();
        ActionsClient resilient = clientWhoseFirstPollBodyBreaks(again);
        MessageSession r = resilient.createSession(scaleSetId, "pod-resilient", false);
        var retrier = new dev.arcsim.listener.policy.Retrier(dev.arcsim.listener.policy.ListenerPolicy.resilient(),
                new dev.arcsim.listener.testing.SteppingScheduler(), new java.util.SplittableRandom(1), (type, fields) -> { });
        retrier.call("get-message", () -> resilient.getMessage(r, 0, 10));
        assertEquals(2, again.get());
    }

    @Test
    void refusalsKeepStatusTypeNameAndActivityIdButNoToken() throws Exception {
        ActionsClient c = client(new ActionsClient.Credentials.Pat("ghp_secret"));
        MessageSession first = c.createSession(scaleSetId, "pod-1", false);
        ApiException e = assertThrows(ApiException.class, () -> c.createSession(scaleSetId, "pod-2", false));
        assertTrue(e.isSessionConflict());
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("request id "), e.getMessage());
        assertFalse(e.getMessage().contains(first.messageQueueAccessToken()));
        assertFalse(e.getMessage().contains("ghp_secret"));
    }

    @Test
    void aMessageIsReadWithItsBodyStringParsedAndABomIgnored() throws Exception {
        ActionsClient c = client(new ActionsClient.Credentials.Pat("ghp_x"));
        MessageSession s = c.createSession(scaleSetId, "pod", false);
        fake.state().enqueueJobs(new dev.arcsim.fake.state.ServiceState.JobRequest("arc-runner-set", null, "app", "ci.yml",
                "build", "push", 60), 2);
        ScaleSetMessage m = c.getMessage(s, 0, 10).orElseThrow();
        assertEquals(2, m.available().size());
        assertEquals(List.of(1001L, 1002L), c.acquireJobs(s, scaleSetId, List.of(1001L, 1002L)));
        c.deleteMessage(s, m.messageId());
        assertTrue(c.getMessage(s, m.messageId(), 10).isPresent(), "the JobAssigned messages");

        byte[] bom = "\uFEFF{\"typeName\":\"X\",\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("X", ActionsClient.apiError("op", new WireResponse(400, Map.of(), bom)).typeName());
        assertEquals("unknown exception", ActionsClient.apiError("op", new WireResponse(400, Map.of(), new byte[0])).serverMessage());
    }

    /**
     * Found by ServiceAnswerFuzzTest: a success body under an unexpected status (a registration token answered 200, or
     * a 1xx) went whole into the error's message, and so into logs, token and all.
     */
    @Test
    void anErrorNeverCarriesACredentialTheAnswerHeld() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl";
        ApiException noMessage = ActionsClient.apiError("registration-token", new WireResponse(200, Map.of(),
                "{\"token\":\"R0K2IOXU4MXCDTCL83VBEPEWLQSGD\",\"expires_at\":\"2026-01-01T11:00:00Z\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("no message in the answer (a JSON object of 77 bytes with token, expires_at)", noMessage.serverMessage());
        ApiException plain = ActionsClient.apiError("get-message", new WireResponse(502,
                Map.of("content-type", List.of("text/plain")), ("bad gateway for Bearer " + jwt + " and ghp_abc123DEF").getBytes(StandardCharsets.UTF_8)));
        assertEquals("bad gateway for Bearer [redacted] and [redacted]", plain.serverMessage());
        ApiException truncated = ActionsClient.apiError("create-session", new WireResponse(500, Map.of(),
                ("{\"sessionId\":\"s\",\"messageQueueAccessToken\":\"" + jwt + "\",\"x").getBytes(StandardCharsets.UTF_8)));
        assertFalse(truncated.serverMessage().contains(jwt), truncated.serverMessage());
        assertTrue(truncated.serverMessage().contains("\"messageQueueAccessToken\":\"[redacted]\""), truncated.serverMessage());
        ApiException kept = ActionsClient.apiError("op", new WireResponse(409, Map.of(),
                "{\"typeName\":\"T\",\"message\":\"already has an active session\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("already has an active session", kept.serverMessage(), "a server's own message is kept as it is");
    }

    /** Found by ServiceAnswerFuzzTest, and its neighbour: what the service hands out must be usable, or it is malformed. */
    @Test
    void aServiceUrlOrQueueUrlWithoutAHostAndAnExpBeyondTimeAreMalformedAnswers() throws Exception {
        for (String bad : List.of("http:/no-host", "http://", "https:relative", "ftp://h/x", "http://h/a b", "mailto:x@y")) {
            assertThrows(MalformedResponseException.class, () -> ActionsClient.httpUrl(bad, "messageQueueUrl", "create-session"), bad);
        }
        assertEquals("http://127.0.0.1:8765/q?x=1", ActionsClient.httpUrl("http://127.0.0.1:8765/q?x=1", "url", "op"));
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"exp\":9223372036854775807}".getBytes(StandardCharsets.UTF_8));
        assertTrue(ActionsClient.jwtExpiry("e30." + payload + ".sig").isEmpty(), "an exp no Instant holds is no expiry");
    }

    /** Found by ServiceAnswerFuzzTest: a list answer whose count says 1 but whose value is empty or missing. */
    @Test
    void aListAnswerWhoseCountPromisesAnEntryItDoesNotHoldIsMalformed() throws Exception {
        ActionsClient served = client(new ActionsClient.Credentials.Pat("ghp_x"));
        served.createSession(scaleSetId, "pod", false);   // registers
        fake.faults().add(dev.arcsim.fake.faults.FaultRule.parse(new ObjectMapper().readTree(
                "{\"kind\":\"blank-field\",\"endpoint\":\"get-runner-by-name\",\"field\":\"value\"}"), "", "f1"));
        fake.state().generateJitConfig(fake.state().tenant(1).orElseThrow(), scaleSetId, "r");
        assertThrows(MalformedResponseException.class, () -> served.runnerByName("r"));
        fake.faults().clear();
        // a sessionId that is no UUID would go into the refresh and delete URLs as it is
        FakeTransport real = new FakeTransport(fake);
        ActionsClient spaced = new ActionsClient(request -> {
            WireResponse r = real.send(request);
            String text = new String(r.body(), StandardCharsets.UTF_8);
            return request.uri().getPath().endsWith("/sessions")
                    ? new WireResponse(r.status(), r.headers(), text.replaceFirst("\"sessionId\":\"[^\"]+\"", "\"sessionId\":\" \"")
                            .getBytes(StandardCharsets.UTF_8)) : r;
        }, clock, ConfigUrl.parse(FakeTransport.BASE + "/acme"), new ActionsClient.Credentials.Pat("ghp_x"), Duration.ofMinutes(5),
                "arcsim-test", false);
        served.deleteSession(scaleSetId, fake.state().snapshot().sessions().get(0).sessionId());
        MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> spaced.createSession(scaleSetId, "pod-2", false));
        assertEquals("create-session: sessionId is not a UUID: \"\"", e.getMessage());
    }

    @Test
    void malformedMessagesAreRefusedAsArcRefusesThem() {
        assertThrows(MalformedResponseException.class, () -> ActionsClient.parseMessage(
                "{\"messageId\":1,\"messageType\":\"Other\",\"body\":\"[]\",\"statistics\":{}}"));
        MalformedResponseException nil = assertThrows(MalformedResponseException.class, () -> ActionsClient.parseMessage(
                "{\"messageId\":1,\"messageType\":\"RunnerScaleSetJobMessages\",\"body\":\"[]\"}"));
        assertTrue(nil.getMessage().contains("statistics is nil"));
        assertThrows(MalformedResponseException.class, () -> ActionsClient.parseMessage(
                "{\"messageId\":1,\"messageType\":\"RunnerScaleSetJobMessages\",\"statistics\":{},"
                        + "\"body\":\"[{\\\"messageType\\\":\\\"JobAvailable\\\",\\\"queueTime\\\":\\\"2026-01-01 10:00\\\"}]\"}"));
    }

    @Test
    void configUrlsMapAsArcMapsThem() {
        assertEquals("https://api.github.com", ConfigUrl.parse("https://github.com/acme").apiBase(false));
        assertEquals("https://ghes.example/api/v3", ConfigUrl.parse("https://ghes.example/acme/app").apiBase(false));
        assertEquals("/repos/acme/app/actions/runners/registration-token",
                ConfigUrl.parse("https://ghes.example/acme/app").registrationTokenPath());
        assertEquals("/enterprises/big/actions/runners/registration-token",
                ConfigUrl.parse("https://github.com/enterprises/big").registrationTokenPath());
        assertEquals("https://github.com/api/v3", ConfigUrl.parse("https://github.com/acme").apiBase(true), "GITHUB_ACTIONS_FORCE_GHES");
        assertThrows(IllegalArgumentException.class, () -> ConfigUrl.parse("https://github.com/a/b/c"));
    }
}
