package dev.arcsim.listener.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireRequest;
import dev.arcsim.listener.wire.WireResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GitHub + Actions scale-set client a listener (and later the controller) uses, endpoint for endpoint as
 * PROTOCOL.md §1 describes. Each call is one attempt: retrying is the policy's decision, so every retry can be
 * recorded. The admin token is fetched through the auth chain and refreshed 60 s before its {@code exp}.
 *
 * <p>No token ever appears in a log line or an exception message from here.
 */
public final class ActionsClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "api-version=6.0-preview";
    private static final Duration ADMIN_REFRESH_MARGIN = Duration.ofSeconds(60);

    private final Transport transport;
    private final Scheduler scheduler;
    private final ConfigUrl configUrl;
    private final Credentials credentials;
    private final Duration requestTimeout;
    private final String userAgent;
    private final boolean forceGhes;

    private String serviceUrl;
    private String adminToken;
    private Instant adminExpiry = Instant.MIN;

    /** PAT or GitHub App; the App's JWT is signed anew for each installation token. */
    public sealed interface Credentials {
        record Pat(String token) implements Credentials {
            @Override
            public String toString() {
                return "Pat[***]";
            }
        }

        record App(long installationId, GitHubAppJwt jwt) implements Credentials {
        }
    }

    public ActionsClient(Transport transport, Scheduler scheduler, ConfigUrl configUrl, Credentials credentials,
                         Duration requestTimeout, String userAgent, boolean forceGhes) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.configUrl = configUrl;
        this.credentials = credentials;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.forceGhes = forceGhes;
    }

    // ------------------------------------------------------------------ auth chain

    /** Installation token (App only), registration token, then runner-registration: the admin token and service URL. */
    private synchronized void ensureAdminToken() throws IOException, InterruptedException, ApiException, MalformedResponseException {
        if (adminToken != null && scheduler.now().plus(ADMIN_REFRESH_MARGIN).isBefore(adminExpiry)) {
            return;
        }
        String api = configUrl.apiBase(forceGhes);
        String githubToken = switch (credentials) {
            case Credentials.Pat pat -> pat.token();
            case Credentials.App app -> {
                WireResponse r = send("access-token", "POST", URI.create(api + "/app/installations/" + app.installationId()
                        + "/access_tokens"), Map.of("Authorization", "Bearer " + app.jwt().sign(scheduler.now()),
                        "Content-Type", "application/vnd.github+json"), null, 201);
                yield requiredText(json(r, "access-token"), "token", "access-token");
            }
        };
        WireResponse reg = send("registration-token", "POST", URI.create(api + configUrl.registrationTokenPath()),
                Map.of("Authorization", "Bearer " + githubToken, "Content-Type", "application/vnd.github.v3+json"), null, 201);
        String registrationToken = requiredText(json(reg, "registration-token"), "token", "registration-token");
        byte[] body = (JSON.createObjectNode().put("url", configUrl.url()).put("runner_event", "register") + "\n")
                .getBytes(StandardCharsets.UTF_8);
        WireResponse admin = send("runner-registration", "POST", URI.create(api + "/actions/runner-registration"),
                Map.of("Authorization", "RemoteAuth " + registrationToken, "Content-Type", "application/json"), body, 0);
        JsonNode answer = json(admin, "runner-registration");
        String url = httpUrl(requiredText(answer, "url", "runner-registration"), "url", "runner-registration");
        String token = requiredText(answer, "token", "runner-registration");
        Instant exp = jwtExpiry(token).orElseThrow(() -> new MalformedResponseException(
                "runner-registration: the admin token is not a JWT with a numeric exp claim"));
        serviceUrl = url.endsWith("/") ? url : url + "/";
        adminToken = token;
        adminExpiry = exp;
    }

    static Optional<Instant> jwtExpiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.path("exp").isNumber() ? Optional.of(Instant.ofEpochSecond(claims.get("exp").asLong())) : Optional.empty();
        } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();   // DateTimeException: an exp beyond the years an Instant holds
        }
    }

    private WireResponse admin(String operation, String method, String path, Object body, int expected)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        return admin(operation, method, path, body, expected, requestTimeout);
    }

    private WireResponse admin(String operation, String method, String path, Object body, int expected, Duration timeout)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        ensureAdminToken();
        String url = serviceUrl + path + (path.contains("?") ? "&" : "?") + API_VERSION;
        byte[] bytes = body == null ? null : JSON.writeValueAsBytes(body);
        return send(operation, method, URI.create(url), Map.of("Authorization", "Bearer " + adminToken,
                "Content-Type", "application/json"), bytes, expected, timeout);
    }

    // ------------------------------------------------------------------ scale sets (controller)

    public Optional<JsonNode> getScaleSetByName(int runnerGroupId, String name)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        JsonNode list = json(admin("get-scale-set", "GET", "_apis/runtime/runnerscalesets?name=" + enc(name)
                + "&runnerGroupId=" + runnerGroupId, null, 200), "get-scale-set");
        int count = list.path("count").asInt();
        if (count > 1) {
            throw new MalformedResponseException("multiple runner scale sets found with name \"" + name + "\"");
        }
        return count == 0 ? Optional.empty() : Optional.of(first(list, "get-scale-set"));
    }

    /** The scale set of that id, or empty when the service no longer has it (404 RunnerScaleSetNotFoundException). */
    public Optional<JsonNode> getScaleSetById(long id)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        try {
            return Optional.of(json(admin("get-scale-set-by-id", "GET", "_apis/runtime/runnerscalesets/" + id, null, 200),
                    "get-scale-set-by-id"));
        } catch (ApiException e) {
            if (e.isScaleSetNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runner group id by name; ARC uses 1 (Default) when none is named. */
    public int runnerGroupId(String name) throws IOException, InterruptedException, ApiException, MalformedResponseException {
        if (name == null || name.isBlank()) {
            return 1;
        }
        JsonNode list = json(admin("get-runner-group", "GET", "_apis/runtime/runnergroups/?groupName=" + enc(name), null, 200),
                "get-runner-group");
        if (list.path("count").asInt() != 1) {
            throw new MalformedResponseException((list.path("count").asInt() == 0 ? "no" : "multiple")
                    + " runner group found with name \"" + name + "\"");
        }
        return first(list, "get-runner-group").path("id").asInt();
    }

    /** Creates a scale set as ARC 0.14 does: labels of type System, updates disabled (PROTOCOL.md §1.4). */
    public JsonNode createScaleSet(String name, int runnerGroupId, List<String> extraLabels)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("runnerGroupId", runnerGroupId);
        ArrayNode labels = body.putArray("labels");
        labels.addObject().put("type", "System").put("name", name);
        for (String l : extraLabels) {
            if (!l.equals(name)) {
                labels.addObject().put("type", "System").put("name", l);
            }
        }
        body.putObject("RunnerSetting").put("disableUpdate", true);
        body.put("createdOn", "0001-01-01T00:00:00Z");
        return json(admin("create-scale-set", "POST", "_apis/runtime/runnerscalesets", body, 200), "create-scale-set");
    }

    public void deleteScaleSet(long scaleSetId) throws IOException, InterruptedException, ApiException, MalformedResponseException {
        admin("delete-scale-set", "DELETE", "_apis/runtime/runnerscalesets/" + scaleSetId, null, 204);
    }

    /** A JIT config for an ephemeral runner: its id and the encoded config. 409 AgentExistsException when the name is taken. */
    public record JitConfig(long runnerId, String runnerName, String encodedJitConfig) {
        @Override
        public String toString() {
            return "JitConfig[" + runnerId + ", " + runnerName + "]";
        }
    }

    public JitConfig generateJitConfig(long scaleSetId, String runnerName, String workFolder)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        ObjectNode body = JSON.createObjectNode().put("name", runnerName).put("workFolder", workFolder == null ? "" : workFolder);
        JsonNode r = json(admin("generate-jit-config", "POST", "_apis/runtime/runnerscalesets/" + scaleSetId
                + "/generatejitconfig", body, 200), "generate-jit-config");
        return new JitConfig(r.path("runner").path("id").asLong(), r.path("runner").path("name").asText(),
                requiredText(r, "encodedJITConfig", "generate-jit-config"));
    }

    /** The runner registered under a name: its id and scale set, or empty. */
    public Optional<long[]> runnerByName(String name) throws IOException, InterruptedException, ApiException, MalformedResponseException {
        JsonNode list = json(admin("get-runner-by-name", "GET", "_apis/distributedtask/pools/0/agents?agentName=" + enc(name),
                null, 200), "get-runner-by-name");
        if (list.path("count").asInt() == 0) {
            return Optional.empty();
        }
        JsonNode r = first(list, "get-runner-by-name");
        return Optional.of(new long[] {r.path("id").asLong(), r.path("runnerScaleSetId").asLong()});
    }

    /** Deregisters a runner; 204 even when it is already gone. 400 JobStillRunningException while it runs a job. */
    public void removeRunner(long runnerId) throws IOException, InterruptedException, ApiException, MalformedResponseException {
        admin("remove-runner", "DELETE", "_apis/distributedtask/pools/0/agents/" + runnerId, null, 204);
    }

    // ------------------------------------------------------------------ sessions

    /** {@code legacyBody}: ARC 0.13 sends only ownerName; 0.14 adds a nil sessionId (PROTOCOL.md §1.4). */
    public MessageSession createSession(long scaleSetId, String ownerName, boolean legacyBody)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        ObjectNode body = JSON.createObjectNode();
        if (!legacyBody) {
            body.put("sessionId", "00000000-0000-0000-0000-000000000000");
        }
        body.put("ownerName", ownerName);
        return session(admin("create-session", "POST", "_apis/runtime/runnerscalesets/" + scaleSetId + "/sessions",
                body, 200), "create-session");
    }

    public MessageSession refreshSession(long scaleSetId, String sessionId)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        return session(admin("refresh-session", "PATCH", "_apis/runtime/runnerscalesets/" + scaleSetId + "/sessions/"
                + sessionId, null, 200), "refresh-session");
    }

    public void deleteSession(long scaleSetId, String sessionId)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        deleteSession(scaleSetId, sessionId, requestTimeout);
    }

    /** The delete on shutdown, bounded by the shutdown deadline rather than the long-poll-sized request timeout. */
    public void deleteSession(long scaleSetId, String sessionId, Duration timeout)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        admin("delete-session", "DELETE", "_apis/runtime/runnerscalesets/" + scaleSetId + "/sessions/" + sessionId,
                null, 204, timeout);
    }

    private MessageSession session(WireResponse r, String operation) throws MalformedResponseException {
        JsonNode s = json(r, operation);
        String queueUrl = httpUrl(requiredText(s, "messageQueueUrl", operation), "messageQueueUrl", operation);
        JsonNode stats = s.get("statistics");
        if (stats == null || !stats.isObject()) {
            throw new MalformedResponseException(operation + ": session statistics is nil");
        }
        String sessionId = requiredText(s, "sessionId", operation);
        try {
            // ARC reads it into a uuid.UUID; it goes into the refresh and delete URLs (found by ServiceAnswerFuzzTest)
            java.util.UUID.fromString(sessionId);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException(operation + ": sessionId is not a UUID: \"" + ServerText.shown(sessionId) + "\"");
        }
        return new MessageSession(sessionId, s.path("ownerName").asText(),
                s.path("runnerScaleSet").path("id").asLong(), queueUrl,
                requiredText(s, "messageQueueAccessToken", operation), statistics(stats));
    }

    // ------------------------------------------------------------------ message queue

    /** The long poll: a message, or empty on 202. 401 comes back as an ApiException with status 401. */
    public Optional<ScaleSetMessage> getMessage(MessageSession session, long lastMessageId, int maxCapacity)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        String url = session.messageQueueUrl() + (lastMessageId > 0
                ? (session.messageQueueUrl().contains("?") ? "&" : "?") + "lastMessageId=" + lastMessageId : "");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + session.messageQueueAccessToken());
        headers.put("Accept", "application/json; api-version=6.0-preview");
        headers.put("X-ScaleSetMaxCapacity", Integer.toString(maxCapacity));
        WireResponse r = send("get-message", "GET", URI.create(url), headers, null, -1);
        if (r.status() == 202) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw apiError("get-message", r);
        }
        String text = r.text();
        if (text.isBlank()) {
            throw new MalformedResponseException("get-message: 200 with an empty body (EOF)");
        }
        return Optional.of(parseMessage(text));
    }

    public void deleteMessage(MessageSession session, long messageId)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        URI q = URI.create(session.messageQueueUrl());
        URI url = URI.create(q.getScheme() + "://" + q.getRawAuthority() + q.getRawPath() + "/" + messageId
                + (q.getRawQuery() == null ? "" : "?" + q.getRawQuery()));
        send("ack-message", "DELETE", url, Map.of("Authorization", "Bearer " + session.messageQueueAccessToken(),
                "Content-Type", "application/json"), null, 204);
    }

    /** POST the request ids with the message-queue token; answers the ids acquired. */
    public List<Long> acquireJobs(MessageSession session, long scaleSetId, List<Long> runnerRequestIds)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        ensureAdminToken();  // for the service URL
        ArrayNode ids = JSON.createArrayNode();
        runnerRequestIds.forEach(ids::add);
        WireResponse r = send("acquire-jobs", "POST", URI.create(serviceUrl + "_apis/runtime/runnerscalesets/" + scaleSetId
                        + "/acquirejobs?" + API_VERSION),
                Map.of("Authorization", "Bearer " + session.messageQueueAccessToken(), "Content-Type", "application/json"),
                JSON.writeValueAsBytes(ids), 200);
        List<Long> acquired = new ArrayList<>();
        json(r, "acquire-jobs").path("value").forEach(n -> acquired.add(n.asLong()));
        return acquired;
    }

    // ------------------------------------------------------------------ parsing

    static ScaleSetMessage parseMessage(String text) throws MalformedResponseException {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (IOException e) {
            throw new MalformedResponseException("get-message: the body is not JSON");
        }
        if (m == null || m.isNull()) {
            throw new MalformedResponseException("get-message: the body is null");
        }
        String type = m.path("messageType").asText();
        if (!"RunnerScaleSetJobMessages".equals(type)) {
            throw new MalformedResponseException("get-message: invalid message type: " + type);
        }
        JsonNode stats = m.get("statistics");
        if (stats == null || !stats.isObject()) {
            throw new MalformedResponseException("get-message: invalid message: statistics is nil");
        }
        List<JobMessage> jobs = new ArrayList<>();
        String body = m.path("body").asText("");
        if (!body.isEmpty()) {
            JsonNode array;
            try {
                array = JSON.readTree(body);
            } catch (IOException e) {
                throw new MalformedResponseException("get-message: the body string does not hold JSON");
            }
            if (!array.isArray()) {
                throw new MalformedResponseException("get-message: the body string does not hold a JSON array");
            }
            for (JsonNode j : array) {
                JobMessage parsed = jobMessage(j);
                if (parsed != null) {
                    jobs.add(parsed);
                }
            }
        }
        return new ScaleSetMessage(m.path("messageId").asLong(), statistics(stats), List.copyOf(jobs));
    }

    /** One job message; unknown types are skipped, as both ARC lines do. */
    static JobMessage jobMessage(JsonNode j) throws MalformedResponseException {
        List<String> labels = new ArrayList<>();
        j.path("requestLabels").forEach(l -> labels.add(l.asText()));
        JobMessage.Job job = new JobMessage.Job(j.path("runnerRequestId").asLong(), j.path("repositoryName").asText(),
                j.path("ownerName").asText(), j.path("jobId").asText(), j.path("jobWorkflowRef").asText(),
                j.path("jobDisplayName").asText(), j.path("workflowRunId").asLong(), j.path("eventName").asText(),
                List.copyOf(labels), time(j, "queueTime"), time(j, "scaleSetAssignTime"), time(j, "runnerAssignTime"),
                time(j, "finishTime"));
        return switch (j.path("messageType").asText()) {
            case "JobAvailable" -> new JobMessage.JobAvailable(job, j.path("acquireJobUrl").asText());
            case "JobAssigned" -> new JobMessage.JobAssigned(job);
            case "JobStarted" -> new JobMessage.JobStarted(job, j.path("runnerId").asLong(), j.path("runnerName").asText());
            case "JobCompleted" -> new JobMessage.JobCompleted(job, j.path("runnerId").asLong(), j.path("runnerName").asText(),
                    j.path("result").asText());
            default -> null;
        };
    }

    /** RFC 3339 with a zone, as Go's time.Time demands; Go's zero time reads as null. */
    private static Instant time(JsonNode j, String field) throws MalformedResponseException {
        JsonNode v = j.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(v.asText()).toInstant();
            return t.getEpochSecond() <= -62135596800L ? null : t;
        } catch (DateTimeParseException e) {
            throw new MalformedResponseException("get-message: " + field + " is not an RFC 3339 time: " + v.asText());
        }
    }

    static Statistics statistics(JsonNode s) {
        return new Statistics(s.path("totalAvailableJobs").asInt(), s.path("totalAcquiredJobs").asInt(),
                s.path("totalAssignedJobs").asInt(), s.path("totalRunningJobs").asInt(),
                s.path("totalRegisteredRunners").asInt(), s.path("totalBusyRunners").asInt(), s.path("totalIdleRunners").asInt());
    }

    // ------------------------------------------------------------------ transport

    /** One attempt; {@code expected} 0 accepts any 2xx, -1 hands every status back to the caller. */
    private WireResponse send(String operation, String method, URI uri, Map<String, String> headers, byte[] body, int expected)
            throws IOException, InterruptedException, ApiException, MalformedResponseException {
        return send(operation, method, uri, headers, body, expected, requestTimeout);
    }

    private WireResponse send(String operation, String method, URI uri, Map<String, String> headers, byte[] body, int expected,
                              Duration timeout) throws IOException, InterruptedException, ApiException, MalformedResponseException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("User-Agent", userAgent);
        WireResponse r;
        try {
            r = transport.send(new WireRequest(method, uri, all, body, timeout));
        } catch (dev.arcsim.listener.wire.BodyReadException e) {
            // a response in hand whose body then fails is an answer the client cannot use, as go-retryablehttp has it:
            // the call's error, which ARC does not retry (Retrier), not a connection failure
            throw new MalformedResponseException(operation + ": " + e.getMessage());
        } catch (IOException e) {
            // The JDK's messages carry no credentials; keep the operation so logs say which call broke.
            throw new IOException(operation + ": " + describe(e), e);
        }
        boolean ok = expected == -1 || (expected == 0 ? r.status() / 100 == 2 : r.status() == expected);
        if (!ok) {
            throw apiError(operation, r);
        }
        return r;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Builds the error ARC would: typeName and message from JSON, raw text for text/plain, "unknown exception" for empty. */
    static ApiException apiError(String operation, WireResponse r) {
        String requestId = r.header("ActivityId").or(() -> r.header("X-GitHub-Request-Id")).orElse(null);
        Duration retryAfter = r.header("Retry-After").flatMap(ActionsClient::parseRetryAfter).orElse(null);
        String text = r.text();
        String typeName = null;
        String message;
        if (text.isBlank()) {
            message = "unknown exception";
        } else if (r.header("Content-Type").orElse("").contains("text/plain")) {
            message = ServerText.shown(text);
        } else {
            try {
                JsonNode n = JSON.readTree(text);
                typeName = n.hasNonNull("typeName") ? ServerText.shown(n.get("typeName").asText()) : null;
                // an answer with no message may be a success body under an unexpected status: name its fields only
                message = n.hasNonNull("message") ? ServerText.shown(n.get("message").asText())
                        : ServerText.describe(n, r.body().length);
            } catch (IOException e) {
                message = ServerText.shown(text);
            }
        }
        return new ApiException(operation, r.status(), typeName, message, requestId, retryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();  // HTTP dates are rare here; the policy's own backoff applies
        }
    }

    private static JsonNode json(WireResponse r, String operation) throws MalformedResponseException {
        String text = r.text();
        if (text.isBlank()) {
            throw new MalformedResponseException(operation + ": " + r.status() + " with an empty body (EOF)");
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new MalformedResponseException(operation + ": the answer is not JSON");
        }
    }

    /**
     * A URL the service hands out (the service URL, the message queue's): absolute http(s) with a host, or the answer
     * is malformed. Taken as it came, a bad one would fail later as an unchecked exception in the next request.
     */
    static String httpUrl(String text, String field, String operation) throws MalformedResponseException {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.isOpaque()) {
                return text;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below, in the same words
        }
        throw new MalformedResponseException(operation + ": " + field + " is not an http(s) URL with a host: \""
                + ServerText.shown(text) + "\"");
    }

    /** The first entry of a list answer ({@code count} and {@code value}) whose count said there is one. */
    private static JsonNode first(JsonNode list, String operation) throws MalformedResponseException {
        JsonNode value = list.path("value");
        if (!value.isArray() || value.isEmpty() || !value.get(0).isObject()) {
            // found by ServiceAnswerFuzzTest: a count of 1 with no value entry was a NullPointerException
            throw new MalformedResponseException(operation + ": count is " + list.path("count").asInt()
                    + " but value holds no entry");
        }
        return value.get(0);
    }

    private static String requiredText(JsonNode n, String field, String operation) throws MalformedResponseException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new MalformedResponseException(operation + ": the answer has no " + field);
        }
        return v.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
