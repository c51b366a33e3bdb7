package dev.arcsim.fake.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.WireJson;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.RulesCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small typed client of fake-github's admin API ({@code /_arcsim/}): rules, faults, jobs and the journal. The same
 * calls go over HTTP to a served fake or straight into an in-process one, and a call the fake refuses throws
 * {@link AdminException} with the fake's own explanation (which field, what it takes).
 */
public final class FakeGitHubAdmin {

    /** The fake refused a call: {@link #getMessage()} is its explanation. */
    public static final class AdminException extends RuntimeException {
        private final int status;
        private final String field;

        AdminException(String call, int status, String field, String message) {
            super(call + " answered " + status + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message);
            this.status = status;
            this.field = field;
        }

        public int status() {
            return status;
        }

        /** The field the fake named as wrong, or empty. */
        public String field() {
            return field == null ? "" : field;
        }
    }

    private interface Channel {
        /** @return the status and the body */
        Map.Entry<Integer, String> send(String method, String path, String body);
    }

    private final Channel channel;

    private FakeGitHubAdmin(Channel channel) {
        this.channel = channel;
    }

    /** A client of a fake in this process, without HTTP. */
    public static FakeGitHubAdmin inProcess(FakeGitHub fake) {
        return new FakeGitHubAdmin((method, path, body) -> {
            ApiResponse r = fake.handle(ApiRequest.of(method, path, Map.of("content-type", "application/json"),
                    body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
            return Map.entry(r.status(), r.bodyText());
        });
    }

    /**
     * A client of a fake served at {@code baseUrl}.
     *
     * @param adminToken the token of a fake started with {@code serve --admin-token}; null for none
     */
    public static FakeGitHubAdmin over(String baseUrl, String adminToken) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = baseUrl.replaceAll("/+$", "");
        return new FakeGitHubAdmin((method, path, body) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .header("content-type", "application/json");
            if (adminToken != null) {
                request.header("authorization", "Bearer " + adminToken);
            }
            try {
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return Map.entry(r.statusCode(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + base + path + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(method + " " + base + path + " was interrupted", e);
            }
        });
    }

    /** The rules in force. */
    public Rules rules() {
        return RulesCodec.merge(Rules.defaults(), call("GET", "rules", null), "rules");
    }

    /**
     * Changes some rules while the fake serves, e.g. {@code {"evictSessionOnRefresh": true}}: the fields given
     * change, the rest stay. A wrong field changes nothing.
     *
     * @return the rules now in force
     */
    public Rules updateRules(String json) {
        return RulesCodec.merge(Rules.defaults(), call("PATCH", "rules", json), "rules");
    }

    /** Adds a fault; it acts from the next request on. @return its id */
    public String addFault(FaultSpec fault) {
        return call("POST", "faults", fault.toJson()).get("id").asText();
    }

    public void removeFault(String id) {
        call("DELETE", "faults/" + id, null);
    }

    public void clearFaults() {
        call("DELETE", "faults", null);
    }

    /** The faults in force, as the admin API describes them (each with its id and hits so far). */
    public JsonNode faults() {
        return call("GET", "faults", null);
    }

    /** Queues {@code count} jobs for the scale set named {@code scaleSet}, each running {@code duration} once taken. */
    public List<Long> queueJobs(String scaleSet, int count, Duration duration) {
        ObjectNode body = WireJson.MAPPER.createObjectNode().put("scaleSet", scaleSet).put("count", count)
                .put("durationSeconds", duration.toSeconds());
        List<Long> ids = new ArrayList<>();
        call("POST", "jobs", body.toString()).get("ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    /** Every request the fake has answered, oldest first (the journal keeps the last 100,000). */
    public List<Journal.Entry> journal() {
        return journal(0);
    }

    /** The requests answered after sequence number {@code since}. */
    public List<Journal.Entry> journal(long since) {
        JsonNode entries = call("GET", "journal?since=" + since, null).get("entries");
        List<Journal.Entry> out = new ArrayList<>();
        for (JsonNode e : entries) {
            try {
                out.add(WireJson.MAPPER.treeToValue(e, Journal.Entry.class));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("the fake's journal entry did not read back: " + ex.getOriginalMessage(), ex);
            }
        }
        return out;
    }

    /** How many requests to {@code endpoint} the fake answered {@code status} (0: the connection was broken instead). */
    public long requests(String endpoint, int status) {
        JsonNode n = state().path("requests").path(endpoint).path(Integer.toString(status));
        return n.isMissingNode() ? 0 : n.asLong();
    }

    /** Requests answered, by endpoint and then status. */
    public Map<String, Map<Integer, Long>> requests() {
        Map<String, Map<Integer, Long>> out = new LinkedHashMap<>();
        state().path("requests").properties().forEach(endpoint -> {
            Map<Integer, Long> byStatus = new LinkedHashMap<>();
            endpoint.getValue().properties().forEach(s -> byStatus.put(Integer.parseInt(s.getKey()), s.getValue().asLong()));
            out.put(endpoint.getKey(), byStatus);
        });
        return out;
    }

    /** Everything the fake holds: scale sets, sessions, jobs, runners, faults, request counts (GET /_arcsim/state). */
    public JsonNode state() {
        return call("GET", "state", null);
    }

    private JsonNode call(String method, String path, String body) {
        Map.Entry<Integer, String> r = channel.send(method, FakeGitHub.ADMIN_PREFIX + path, body);
        JsonNode json;
        try {
            json = r.getValue() == null || r.getValue().isEmpty() ? WireJson.MAPPER.createObjectNode()
                    : WireJson.MAPPER.readTree(r.getValue());
        } catch (JsonProcessingException e) {
            json = WireJson.MAPPER.createObjectNode().put("error", r.getValue());
        }
        if (r.getKey() >= 300) {
            throw new AdminException(method + " " + FakeGitHub.ADMIN_PREFIX + path, r.getKey(),
                    json.path("field").asText(""), json.path("error").asText(r.getValue()));
        }
        return json;
    }
}
