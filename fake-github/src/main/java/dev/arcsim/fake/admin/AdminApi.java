package dev.arcsim.fake.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.Limits;
import dev.arcsim.fake.api.WireJson;
import dev.arcsim.fake.auth.SecretComparison;
import dev.arcsim.fake.faults.FaultRule;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.rules.RulesCodec;
import dev.arcsim.fake.state.ServiceState.JobRequest;
import dev.arcsim.fake.state.Views.Snapshot;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * arcsim's control API under {@code /_arcsim/}: queue jobs, read the state, change rules and faults while serving,
 * read the journal. Bad input answers 400 naming the field and what is allowed; nothing is half-applied.
 */
public final class AdminApi {

    private static final String USAGE = "GET /_arcsim/state, POST /_arcsim/jobs, GET|PUT /_arcsim/rules, "
            + "GET|POST|DELETE /_arcsim/faults, DELETE /_arcsim/faults/{id}, GET /_arcsim/journal?since=N";

    private final FakeGitHub fake;
    /** The Authorization header the admin API demands, or null when it demands none. */
    private final SecretComparison expectedHeader;

    /** @param adminToken the bearer token the admin API demands, or null for none (loopback use) */
    public AdminApi(FakeGitHub fake, String adminToken) {
        this.fake = fake;
        this.expectedHeader = adminToken == null ? null : new SecretComparison("Bearer " + adminToken);
    }

    public ApiResponse handle(ApiRequest request) {
        if (expectedHeader != null && !expectedHeader.matches(request.header("authorization").orElse(""))) {
            return problem(401, "", "the admin API needs 'Authorization: Bearer <admin token>' (serve --admin-token)");
        }
        if (request.body().length > Limits.MAX_BODY_BYTES) {
            return problem(413, "", Limits.bodyTooLarge(request.body().length));
        }
        String path = request.path().substring(FakeGitHub.ADMIN_PREFIX.length()).replaceAll("/+$", "");
        try {
            return switch (request.method() + " " + path) {
                case "GET state" -> json(200, state());
                case "POST jobs" -> json(201, enqueue(body(request)));
                case "GET rules" -> json(200, RulesCodec.toJson(fake.rules()));
                case "PUT rules", "PATCH rules" -> json(200, RulesCodec.toJson(fake.updateRules(body(request))));
                case "GET faults" -> json(200, fake.faults().describe());
                case "POST faults" -> {
                    JsonNode body = body(request);
                    String id = body.hasNonNull("id") ? body.get("id").asText() : fake.faults().nextId();
                    FaultRule rule = FaultRule.parse(body, "", id);
                    fake.faults().add(rule);
                    yield json(201, rule.toJson());
                }
                case "DELETE faults" -> {
                    fake.faults().clear();
                    yield ApiResponse.of(204, Map.of(), new byte[0]);
                }
                case "GET journal" -> json(200, journal(request));
                default -> {
                    if (path.startsWith("faults/") && request.method().equals("DELETE")) {
                        String id = path.substring("faults/".length());
                        yield fake.faults().remove(id) ? ApiResponse.of(204, Map.of(), new byte[0])
                                : problem(404, "id", "no fault with id \"" + id + "\"; GET /_arcsim/faults lists them");
                    }
                    yield problem(404, "", "no admin endpoint " + request.method() + " /_arcsim/" + path + "; there are: " + USAGE);
                }
            };
        } catch (InvalidInputException e) {
            return problem(400, e.field(), e.getMessage());
        }
    }

    private ObjectNode enqueue(JsonNode body) {
        JsonInput in = JsonInput.object(body, "");
        String scaleSet = name(in, "scaleSet", in.requiredString("scaleSet"));
        int count = in.intValue("count", 1, Limits.MAX_JOBS_PER_CALL).orElse(1);
        long duration = in.longValue("durationSeconds", 0, 7 * 86_400).orElse(60L);
        JobRequest request = new JobRequest(scaleSet, name(in, "owner", in.string("owner").orElse(null)),
                name(in, "repository", in.string("repository").orElse("app")),
                name(in, "workflow", in.string("workflow").orElse("ci.yml")),
                name(in, "displayName", in.string("displayName").orElse("build")),
                name(in, "eventName", in.string("eventName").orElse("push")), duration);
        in.rejectUnknown();
        List<Long> ids = fake.state().enqueueJobs(request, count);
        ObjectNode out = WireJson.MAPPER.createObjectNode();
        ids.forEach(out.putArray("ids")::add);
        return out;
    }

    private static String name(JsonInput in, String field, String value) {
        if (value != null && value.length() > Limits.MAX_NAME_LENGTH) {
            throw new InvalidInputException(in.field(field), "has " + value.length() + " characters; at most "
                    + Limits.MAX_NAME_LENGTH + " are taken");
        }
        return value;
    }

    private ObjectNode state() {
        Snapshot s = fake.state().snapshot();
        ObjectNode out = WireJson.MAPPER.createObjectNode();
        out.put("now", s.now().toString());
        out.set("rules", RulesCodec.toJson(fake.rules()));
        out.set("tenants", WireJson.MAPPER.valueToTree(s.tenants()));
        ArrayNode sets = out.putArray("scaleSets");
        s.scaleSets().forEach(ss -> {
            ObjectNode n = sets.addObject().put("id", ss.id()).put("tenantId", ss.tenantId()).put("name", ss.name())
                    .put("runnerGroupId", ss.runnerGroupId());
            n.set("statistics", WireJson.statistics(ss.statistics()));
        });
        out.set("sessions", WireJson.MAPPER.valueToTree(s.sessions()));
        out.set("jobsByState", WireJson.MAPPER.valueToTree(s.jobsByState()));
        out.set("jobs", WireJson.MAPPER.valueToTree(s.jobs()));
        out.set("runners", WireJson.MAPPER.valueToTree(s.runners()));
        out.put("runnersFinished", s.runnersFinished());
        out.put("jobsRetired", s.jobsRetired());   // completed jobs no longer listed under "jobs", counted in jobsByState
        out.set("faults", fake.faults().describe());
        ObjectNode counters = out.putObject("requests");
        fake.journal().counters().forEach((endpoint, byStatus) -> {
            ObjectNode n = counters.putObject(endpoint);
            byStatus.forEach((status, count) -> n.put(Integer.toString(status), count));
        });
        return out;
    }

    private ObjectNode journal(ApiRequest request) {
        long since;
        try {
            since = Long.parseLong(request.queryParam("since").orElse("0"));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("since", "must be an integer sequence number, got \""
                    + request.queryParam("since").orElse("") + "\"");
        }
        List<Journal.Entry> entries = fake.journal().since(since);
        ObjectNode out = WireJson.MAPPER.createObjectNode().put("lastSeq", fake.journal().lastSeq());
        out.set("entries", WireJson.MAPPER.valueToTree(entries));
        return out;
    }

    private static JsonNode body(ApiRequest request) {
        try {
            JsonNode node = WireJson.read(request.body());
            if (node.isNull()) {
                throw new InvalidInputException("", "a JSON body is required");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidInputException("", "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static ApiResponse json(int status, JsonNode node) {
        return ApiResponse.json(status, WireJson.write(node));
    }

    private static ApiResponse problem(int status, String field, String message) {
        ObjectNode node = WireJson.MAPPER.createObjectNode().put("error", message);
        if (!field.isEmpty()) {
            node.put("field", field);
        }
        return json(status, node);
    }
}
