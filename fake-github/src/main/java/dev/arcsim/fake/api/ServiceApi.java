package dev.arcsim.fake.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.auth.Credentials;
import dev.arcsim.fake.auth.Credentials.IssuedToken;
import dev.arcsim.fake.state.ServiceError;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.fake.state.Tenant;
import dev.arcsim.fake.state.Views.JitConfig;
import dev.arcsim.fake.state.Views.Label;
import dev.arcsim.fake.state.Views.RunnerJob;
import dev.arcsim.fake.state.Views.ScaleSetView;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The thin adapter between wire requests and the service state: authenticates, parses the body, calls the model and
 * writes the answer with the exact status codes ARC expects (PROTOCOL.md §7): 200 for creates, refresh, JIT and
 * acquire; 201 for tokens; 204 for deletes and acks; 202 for an empty poll.
 */
public final class ServiceApi {

    private final ServiceState state;
    private final Credentials credentials;

    public ServiceApi(ServiceState state, Credentials credentials) {
        this.state = state;
        this.credentials = credentials;
    }

    /** Handles a routed request; refusals come back as {@link ServiceError}. */
    public ApiResponse handle(ApiRequest request, Routes.Match route) throws InterruptedException {
        String auth = request.header("authorization").orElse(null);
        if (request.body().length > Limits.MAX_BODY_BYTES) {
            String why = Limits.bodyTooLarge(request.body().length);
            throw route.endpoint().family() == Endpoint.Family.GITHUB_REST ? ServiceError.gitHub(413, why)
                    : ServiceError.actions(413, "ArgumentException", why);
        }
        return switch (route.endpoint()) {
            case ACCESS_TOKEN -> tokenResponse(credentials.issueInstallationToken(auth));
            case REGISTRATION_TOKEN -> {
                ConfigScope scope = ConfigScope.fromRestPath(route.param("scope"));
                yield tokenResponse(credentials.issueRegistrationToken(auth, scope.key()));
            }
            case RUNNER_REGISTRATION -> runnerRegistration(request, auth);
            case UNKNOWN -> throw ServiceError.actions(404, "NotFoundException",
                    "No such endpoint: " + request.method() + " " + request.path());
            default -> actions(request, route, auth);
        };
    }

    private ApiResponse actions(ApiRequest request, Routes.Match route, String auth) throws InterruptedException {
        // the route takes digits only; more of them than an int holds name no tenant (found by RequestFuzzTest)
        int tenantId;
        try {
            tenantId = Integer.parseInt(route.param("tenant"));
        } catch (NumberFormatException e) {
            throw ServiceError.actions(404, "NotFoundException", "No tenant " + route.param("tenant") + ".");
        }
        Tenant tenant = state.tenant(tenantId)
                .orElseThrow(() -> ServiceError.actions(404, "NotFoundException", "No tenant " + tenantId + "."));
        String svc = serviceUrl(request, tenant);
        Endpoint endpoint = route.endpoint();
        switch (endpoint) {
            case GET_MESSAGE, ACK_MESSAGE, ACQUIRE_JOBS, RUNNER_CONNECT, RUNNER_TAKE_JOB, RUNNER_COMPLETE_JOB -> {
                // message-queue and runner tokens are checked by the model
            }
            default -> credentials.requireAdminToken(auth, tenantId);
        }
        String bearer = Credentials.bearer(auth).orElse(null);
        return switch (endpoint) {
            case GET_SCALE_SET -> {
                Integer group = request.queryParam("runnerGroupId").map(v -> parseInt(v, "runnerGroupId")).orElse(null);
                String name = request.queryParam("name").orElse(null);
                yield json(200, WireJson.list(state.findScaleSets(tenant, group, name).stream()
                        .map(s -> (JsonNode) WireJson.scaleSet(s, svc)).toList()));
            }
            case GET_SCALE_SET_BY_ID -> json(200, WireJson.scaleSet(state.scaleSet(tenant, id(route)), svc));
            case CREATE_SCALE_SET -> {
                JsonNode body = object(request);
                ScaleSetView created = state.createScaleSet(tenant, name(body, "name"), intOrNull(body, "runnerGroupId"),
                        labels(body), settings(body));
                yield json(200, WireJson.scaleSet(created, svc));
            }
            case UPDATE_SCALE_SET -> {
                JsonNode body = object(request);
                ScaleSetView updated = state.updateScaleSet(tenant, id(route), name(body, "name"),
                        intOrNull(body, "runnerGroupId"), labels(body), settings(body));
                yield json(200, WireJson.scaleSet(updated, svc));
            }
            case DELETE_SCALE_SET -> {
                state.deleteScaleSet(tenant, id(route));
                yield noContent();
            }
            case GET_RUNNER_GROUP -> {
                String name = request.queryParam("groupName")
                        .orElseThrow(() -> ServiceError.badRequest("The groupName query parameter is required."));
                yield json(200, WireJson.list(state.runnerGroupsNamed(name).stream()
                        .map(g -> (JsonNode) WireJson.runnerGroup(g)).toList()));
            }
            case CREATE_SESSION -> {
                // Current ARC sends a nil-UUID sessionId; it is accepted and ignored (PROTOCOL.md §1.4).
                JsonNode body = request.body().length == 0 ? WireJson.MAPPER.createObjectNode() : object(request);
                yield json(200, WireJson.session(state.createSession(tenant, id(route), name(body, "ownerName")), svc));
            }
            case REFRESH_SESSION -> json(200, WireJson.session(
                    state.refreshSession(tenant, id(route), sessionId(route.param("session"))), svc));
            case DELETE_SESSION -> {
                state.deleteSession(tenant, id(route), sessionId(route.param("session")));
                yield noContent();
            }
            case GET_MESSAGE -> {
                long last = request.queryParam("lastMessageId").map(v -> parseLong(v, "lastMessageId")).orElse(0L);
                Integer capacity = request.header("x-scalesetmaxcapacity").map(v -> {
                    int c = parseInt(v, "X-ScaleSetMaxCapacity");
                    if (c < 0) {
                        throw ServiceError.badRequest("X-ScaleSetMaxCapacity must be 0 or more, got " + c + ".");
                    }
                    return c;
                }).orElse(null);
                yield state.poll(bearer, id(route), last, capacity)
                        .map(m -> json(200, WireJson.message(m, svc)))
                        .orElseGet(() -> ApiResponse.of(202, Map.of(), new byte[0]));
            }
            case ACK_MESSAGE -> {
                state.ack(bearer, id(route), parseLong(route.param("message"), "messageId"));
                yield noContent();
            }
            case ACQUIRABLE_JOBS -> acquirable(tenant, id(route), svc);
            case ACQUIRE_JOBS -> {
                JsonNode body = readBody(request);
                if (!body.isArray()) {
                    throw ServiceError.badRequest("The body must be a JSON array of runner request ids.");
                }
                List<Long> ids = new ArrayList<>();
                body.forEach(n -> {
                    if (!n.canConvertToLong()) {
                        throw ServiceError.badRequest("Runner request ids must be integers, got " + n + ".");
                    }
                    ids.add(n.asLong());
                });
                List<Long> acquired = state.acquire(bearer, id(route), ids);
                ObjectNode answer = WireJson.MAPPER.createObjectNode().put("count", acquired.size());
                acquired.forEach(answer.putArray("value")::add);
                yield json(200, answer);
            }
            case GENERATE_JIT_CONFIG -> {
                JsonNode body = object(request);
                JitConfig jit = state.generateJitConfig(tenant, id(route), name(body, "name"));
                ObjectNode answer = WireJson.MAPPER.createObjectNode();
                answer.set("runner", WireJson.runnerReference(jit.runner()));
                answer.put("encodedJITConfig", encodedJitConfig(jit, svc, text(body, "workFolder")));
                yield json(200, answer);
            }
            case GET_RUNNER -> json(200, WireJson.runnerReference(state.runner(tenant, parseLong(route.param("runner"), "runnerId"))
                    .orElseThrow(() -> ServiceError.actions(404, "AgentNotFoundException",
                            "No runner with id " + route.param("runner") + "."))));
            case GET_RUNNER_BY_NAME -> {
                String name = request.queryParam("agentName")
                        .orElseThrow(() -> ServiceError.badRequest("The agentName query parameter is required."));
                yield json(200, WireJson.list(state.runnersNamed(tenant, name).stream()
                        .map(r -> (JsonNode) WireJson.runnerReference(r)).toList()));
            }
            case REMOVE_RUNNER -> {
                state.removeRunner(tenant, parseLong(route.param("runner"), "runnerId"));
                yield noContent();
            }
            case RUNNER_CONNECT -> {
                var runner = state.runnerConnect(bearer);
                yield json(200, WireJson.runnerReference(runner).put("state", runner.state().name().toLowerCase(Locale.ROOT)));
            }
            case RUNNER_TAKE_JOB -> state.runnerTakeJob(bearer)
                    .map(job -> json(200, runnerJob(job)))
                    .orElseGet(ServiceApi::noContent);
            case RUNNER_COMPLETE_JOB -> {
                JsonNode body = object(request);
                JsonNode id = body.get("runnerRequestId");
                if (id == null || !id.canConvertToLong()) {
                    throw ServiceError.badRequest("runnerRequestId (an integer) is required.");
                }
                state.runnerComplete(bearer, id.asLong(), text(body, "result"));
                yield noContent();
            }
            default -> throw new IllegalStateException("unrouted endpoint " + endpoint);
        };
    }

    /** Legacy only: 204 stands for an empty list (PROTOCOL.md §1.4). */
    private ApiResponse acquirable(Tenant tenant, long scaleSetId, String svc) {
        List<JsonNode> available = state.acquirableJobs(tenant, scaleSetId).stream()
                .map(j -> (JsonNode) WireJson.acquirableJob(j, svc)).toList();
        return available.isEmpty() ? noContent() : json(200, WireJson.list(available));
    }

    private ApiResponse runnerRegistration(ApiRequest request, String auth) {
        JsonNode body;
        try {
            body = WireJson.read(request.body());
        } catch (IOException e) {
            throw ServiceError.gitHub(400, "Problems parsing JSON");
        }
        String url = body.isObject() ? text(body, "url") : null;
        if (url == null || url.isBlank()) {
            throw ServiceError.gitHub(422, "The url field is required.");
        }
        ConfigScope scope = ConfigScope.fromConfigUrl(url);
        Tenant tenant = state.tenantFor(scope.kind(), scope.key(), scope.ownerName(), scope.repositoryName());
        IssuedToken admin = credentials.issueAdminToken(auth, scope.key(), tenant.id());
        ObjectNode answer = WireJson.MAPPER.createObjectNode()
                .put("url", serviceUrl(request, tenant))
                .put("token", admin.token());
        return json(201, answer);
    }

    private static ApiResponse tokenResponse(IssuedToken token) {
        return json(201, WireJson.MAPPER.createObjectNode().put("token", token.token())
                .put("expires_at", token.expiresAt().toString()));
    }

    private static ObjectNode runnerJob(RunnerJob job) {
        return WireJson.MAPPER.createObjectNode().put("runnerRequestId", job.runnerRequestId()).put("jobId", job.jobId())
                .put("jobDisplayName", job.jobDisplayName()).put("durationSeconds", job.durationSeconds());
    }

    /**
     * A JIT config as the service shapes it (base64 of a JSON map of file name to base64 file content), carrying what
     * an arcsim simulated runner needs: where to connect and with which token.
     */
    private static String encodedJitConfig(JitConfig jit, String svc, String workFolder) {
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode runnerFile = WireJson.MAPPER.createObjectNode()
                .put("agentId", jit.runner().id())
                .put("agentName", jit.runner().name())
                .put("poolId", 0)
                .put("serverUrl", svc)
                .put("workFolder", workFolder == null || workFolder.isEmpty() ? "_work" : workFolder)
                .put("ephemeral", "true");
        ObjectNode credentialsFile = WireJson.MAPPER.createObjectNode().put("scheme", "OAuthAccessToken");
        credentialsFile.putObject("data").put("token", jit.runnerToken());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".runner", b64.encodeToString(WireJson.write(runnerFile).getBytes(StandardCharsets.UTF_8)));
        files.put(".credentials", b64.encodeToString(WireJson.write(credentialsFile).getBytes(StandardCharsets.UTF_8)));
        return b64.encodeToString(WireJson.write(WireJson.MAPPER.valueToTree(files)).getBytes(StandardCharsets.UTF_8));
    }

    static String serviceUrl(ApiRequest request, Tenant tenant) {
        return request.baseUrl() + "/tenant/" + tenant.id() + "/";
    }

    private static ApiResponse json(int status, JsonNode node) {
        return ApiResponse.json(status, WireJson.write(node));
    }

    private static ApiResponse noContent() {
        return ApiResponse.of(204, Map.of(), new byte[0]);
    }

    private static long id(Routes.Match route) {
        return parseLong(route.param("id"), "runner scale set id");
    }

    private static UUID sessionId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ServiceError.actions(400, "RunnerScaleSetSessionExpiredException",
                    "The session identifier " + raw + " is not valid.");
        }
    }

    private static JsonNode readBody(ApiRequest request) {
        try {
            return WireJson.read(request.body());
        } catch (IOException e) {
            throw ServiceError.badRequest("The request body is not valid JSON.");
        }
    }

    private static JsonNode object(ApiRequest request) {
        JsonNode body = readBody(request);
        if (!body.isObject()) {
            throw ServiceError.badRequest("The request body must be a JSON object.");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A name the service stores: at most {@link Limits#MAX_NAME_LENGTH} characters. */
    private static String name(JsonNode body, String field) {
        return bounded(text(body, field), field);
    }

    private static String bounded(String value, String field) {
        if (value != null && value.length() > Limits.MAX_NAME_LENGTH) {
            throw ServiceError.badRequest(field + " has " + value.length() + " characters; at most " + Limits.MAX_NAME_LENGTH
                    + " are taken.");
        }
        return value;
    }

    private static Integer intOrNull(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt()) {
            throw ServiceError.badRequest(field + " must be an integer, got " + v + ".");
        }
        return v.asInt();
    }

    private static List<Label> labels(JsonNode body) {
        JsonNode v = body.get("labels");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ServiceError.badRequest("labels must be an array of {type, name}.");
        }
        if (v.size() > Limits.MAX_LABELS) {
            throw ServiceError.badRequest("labels has " + v.size() + " entries; at most " + Limits.MAX_LABELS + " are taken.");
        }
        List<Label> labels = new ArrayList<>();
        for (JsonNode l : v) {
            String type = l.path("type").asText("System");
            labels.add(new Label(bounded(type.isEmpty() ? "System" : type, "labels[].type"),
                    bounded(l.path("name").asText(), "labels[].name")));
        }
        return labels;
    }

    private static Map<String, Object> settings(JsonNode body) {
        JsonNode v = body.get("RunnerSetting");
        return v == null || !v.isObject() ? null : WireJson.toMap(v);
    }

    private static int parseInt(String v, String what) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ServiceError.badRequest(what + " must be an integer, got \"" + v + "\".");
        }
    }

    private static long parseLong(String v, String what) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ServiceError.badRequest(what + " must be an integer, got \"" + v + "\".");
        }
    }

    /**
     * What a config URL names, parsed as ARC parses it (PROTOCOL.md §1.1): one path segment is an organization;
     * {@code enterprises/X} an enterprise; any other two segments a repository.
     */
    record ConfigScope(String kind, String key, String ownerName, String repositoryName) {

        static ConfigScope fromConfigUrl(String url) {
            String path;
            try {
                path = URI.create(url.trim()).getPath();
            } catch (IllegalArgumentException e) {
                throw ServiceError.gitHub(422, "The url is not a valid URL.");
            }
            String trimmed = path == null ? "" : path.replaceAll("^/+|/+$", "");
            String[] segments = trimmed.split("/");
            if (trimmed.isEmpty() || segments.length > 2 || List.of(segments).contains("")) {
                throw ServiceError.gitHub(422, "invalid config URL, should point to an enterprise, org, or repository");
            }
            if (segments.length == 1) {
                return new ConfigScope("organization", segments[0], segments[0], null);
            }
            if (segments[0].equalsIgnoreCase("enterprises")) {
                return new ConfigScope("enterprise", "enterprises/" + segments[1], segments[1], null);
            }
            return new ConfigScope("repository", segments[0] + "/" + segments[1], segments[0], segments[1]);
        }

        /** The scope of a registration-token path: {@code orgs/X}, {@code repos/O/R} or {@code enterprises/X}. */
        static ConfigScope fromRestPath(String scope) {
            String[] parts = scope.split("/");
            return switch (parts[0].toLowerCase(Locale.ROOT)) {
                case "orgs" -> new ConfigScope("organization", parts[1], parts[1], null);
                case "repos" -> new ConfigScope("repository", parts[1] + "/" + parts[2], parts[1], parts[2]);
                default -> new ConfigScope("enterprise", "enterprises/" + parts[1], parts[1], null);
            };
        }
    }
}
