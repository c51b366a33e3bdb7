package dev.arcsim.fake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.fake.api.ApiResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal client that speaks to the fake the way ARC does (PROTOCOL.md §1): the auth chain, admin calls with
 * {@code api-version}, and the message queue with its own token. Tests use it to put the fake in a state, then
 * assert on the raw answers.
 */
public final class TestClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String RSS = "_apis/runtime/runnerscalesets";

    private final Transport transport;
    private final String configUrl;
    private String serviceUrl;
    private String adminToken;

    /** A message session as the client keeps it. */
    public record Session(String id, String queueUrl, String token, JsonNode raw) {
    }

    public TestClient(Transport transport, String configPath) {
        this.transport = transport;
        this.configUrl = transport.baseUrl() + "/" + configPath;
    }

    public String configUrl() {
        return configUrl;
    }

    public String serviceUrl() {
        return serviceUrl;
    }

    public String adminToken() {
        return adminToken;
    }

    public Transport transport() {
        return transport;
    }

    /** Registration token, then runner-registration: after this the client has an admin token and service URL. */
    public TestClient register() {
        String path = URI.create(configUrl).getPath().replaceAll("^/+", "");
        String scope = path.startsWith("enterprises/") ? path : path.contains("/") ? "repos/" + path : "orgs/" + path;
        ApiResponse reg = send("POST", transport.baseUrl() + "/api/v3/" + scope + "/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_test", "Content-Type", "application/vnd.github.v3+json"), null);
        expect(reg, 201);
        String regToken = json(reg).get("token").asText();
        ApiResponse admin = send("POST", transport.baseUrl() + "/api/v3/actions/runner-registration",
                Map.of("Authorization", "RemoteAuth " + regToken, "Content-Type", "application/json"),
                ("{\"url\":\"" + configUrl + "\",\"runner_event\":\"register\"}\n").getBytes(StandardCharsets.UTF_8));
        expect(admin, 201);
        serviceUrl = json(admin).get("url").asText();
        adminToken = json(admin).get("token").asText();
        return this;
    }

    /** An admin call to {@code {svc}/path} with {@code api-version=6.0-preview} added as ARC adds it. */
    public ApiResponse admin(String method, String path, String body) {
        String url = serviceUrl + path + (path.contains("?") ? "&" : "?") + "api-version=6.0-preview";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + adminToken);
        headers.put("Content-Type", "application/json");
        return send(method, url, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public long createScaleSet(String name) {
        ApiResponse r = admin("POST", RSS, "{\"name\":\"" + name + "\",\"runnerGroupId\":1,\"labels\":[{\"type\":\"System\",\"name\":\""
                + name + "\"}],\"RunnerSetting\":{\"disableUpdate\":true},\"createdOn\":\"0001-01-01T00:00:00Z\"}");
        expect(r, 200);
        return json(r).get("id").asLong();
    }

    public ApiResponse createSessionRaw(long scaleSetId, String owner) {
        return admin("POST", RSS + "/" + scaleSetId + "/sessions",
                "{\"sessionId\":\"00000000-0000-0000-0000-000000000000\",\"ownerName\":\"" + owner + "\"}");
    }

    public Session createSession(long scaleSetId, String owner) {
        ApiResponse r = createSessionRaw(scaleSetId, owner);
        expect(r, 200);
        return session(json(r));
    }

    public static Session session(JsonNode s) {
        return new Session(s.get("sessionId").asText(), s.get("messageQueueUrl").asText(),
                s.get("messageQueueAccessToken").asText(), s);
    }

    public ApiResponse refreshSession(long scaleSetId, String sessionId) {
        return admin("PATCH", RSS + "/" + scaleSetId + "/sessions/" + sessionId, null);
    }

    public ApiResponse deleteSession(long scaleSetId, String sessionId) {
        return admin("DELETE", RSS + "/" + scaleSetId + "/sessions/" + sessionId, null);
    }

    public ApiResponse poll(Session s, long lastMessageId, int maxCapacity) {
        String url = s.queueUrl() + (lastMessageId > 0 ? "&lastMessageId=" + lastMessageId : "");
        return send("GET", url, Map.of("Authorization", "Bearer " + s.token(),
                "Accept", "application/json; api-version=6.0-preview", "X-ScaleSetMaxCapacity", Integer.toString(maxCapacity)), null);
    }

    /** The ack: DELETE on the queue URL's path plus the message id, keeping its query (PROTOCOL.md §1.5). */
    public ApiResponse ack(Session s, long messageId) {
        URI q = URI.create(s.queueUrl());
        String url = q.getScheme() + "://" + q.getAuthority() + q.getPath() + "/" + messageId
                + (q.getRawQuery() == null ? "" : "?" + q.getRawQuery());
        return send("DELETE", url, Map.of("Authorization", "Bearer " + s.token(), "Content-Type", "application/json"), null);
    }

    public ApiResponse acquire(Session s, long scaleSetId, List<Long> ids) {
        return send("POST", serviceUrl + RSS + "/" + scaleSetId + "/acquirejobs?api-version=6.0-preview",
                Map.of("Authorization", "Bearer " + s.token(), "Content-Type", "application/json"),
                ids.toString().replace(" ", "").getBytes(StandardCharsets.UTF_8));
    }

    public ApiResponse jitConfig(long scaleSetId, String name) {
        return admin("POST", RSS + "/" + scaleSetId + "/generatejitconfig", "{\"name\":\"" + name + "\",\"workFolder\":\"\"}");
    }

    /** The runner token inside an encoded JIT config, as a simulated runner would read it. */
    public static String runnerToken(JsonNode jitAnswer) {
        try {
            JsonNode files = JSON.readTree(java.util.Base64.getDecoder().decode(jitAnswer.get("encodedJITConfig").asText()));
            JsonNode credentials = JSON.readTree(java.util.Base64.getDecoder().decode(files.get(".credentials").asText()));
            return credentials.get("data").get("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiResponse runner(String runnerToken, String action, String body) {
        return send("POST", serviceUrl + "_apis/arcsim/runner/" + action,
                Map.of("Authorization", "Bearer " + runnerToken, "Content-Type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public ApiResponse adminApi(String method, String path, String body) {
        return send(method, transport.baseUrl() + "/_arcsim/" + path, Map.of("Content-Type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public ApiResponse send(String method, String url, Map<String, String> headers, byte[] body) {
        try {
            return transport.send(method, url, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(ApiResponse r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r.bodyText(), e);
        }
    }

    /** The message body's job messages: {@code body} is a string holding a JSON array. */
    public static JsonNode jobMessages(ApiResponse message) {
        try {
            return JSON.readTree(json(message).get("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<String> header(ApiResponse r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }

    public static void expect(ApiResponse r, int status) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + " but got " + r.status() + ": " + r.bodyText());
        }
    }
}
