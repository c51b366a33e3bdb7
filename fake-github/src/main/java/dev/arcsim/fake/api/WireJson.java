package dev.arcsim.fake.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.state.JobMessage;
import dev.arcsim.fake.state.QueueMessage;
import dev.arcsim.fake.state.Statistics;
import dev.arcsim.fake.state.Views.Label;
import dev.arcsim.fake.state.Views.RunnerGroupView;
import dev.arcsim.fake.state.Views.RunnerView;
import dev.arcsim.fake.state.Views.ScaleSetView;
import dev.arcsim.fake.state.Views.SessionView;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The service's JSON, field for field as ARC reads and writes it (PROTOCOL.md §1.4, §2). Built node by node so the
 * field order and presence are explicit rather than left to a mapper's defaults.
 */
public final class WireJson {

    /** Go's zero {@code time.Time}, which ARC's structs carry for times that have not happened. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private WireJson() {
    }

    public static String time(Instant t) {
        return t == null ? ZERO_TIME : t.toString();
    }

    public static ObjectNode statistics(Statistics s) {
        return MAPPER.createObjectNode()
                .put("totalAvailableJobs", s.totalAvailableJobs())
                .put("totalAcquiredJobs", s.totalAcquiredJobs())
                .put("totalAssignedJobs", s.totalAssignedJobs())
                .put("totalRunningJobs", s.totalRunningJobs())
                .put("totalRegisteredRunners", s.totalRegisteredRunners())
                .put("totalBusyRunners", s.totalBusyRunners())
                .put("totalIdleRunners", s.totalIdleRunners());
    }

    public static ObjectNode scaleSet(ScaleSetView s, String serviceUrl) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", s.id())
                .put("name", s.name())
                .put("runnerGroupId", s.runnerGroupId())
                .put("runnerGroupName", s.runnerGroupName());
        ArrayNode labels = node.putArray("labels");
        for (Label l : s.labels()) {
            labels.addObject().put("type", l.type()).put("name", l.name());
        }
        node.set("RunnerSetting", MAPPER.valueToTree(s.runnerSetting()));
        node.put("createdOn", time(s.createdOn()));
        node.put("runnerJitConfigUrl", serviceUrl + "_apis/runtime/runnerscalesets/" + s.id() + "/generatejitconfig");
        node.set("statistics", statistics(s.statistics()));
        return node;
    }

    public static ObjectNode session(SessionView s, String serviceUrl) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("sessionId", s.sessionId())
                .put("ownerName", s.ownerName());
        node.set("runnerScaleSet", scaleSet(s.scaleSet(), serviceUrl));
        node.put("messageQueueUrl", serviceUrl + "_apis/runtime/runnerscalesets/" + s.scaleSet().id()
                + "/messages?sessionId=" + s.sessionId());
        node.put("messageQueueAccessToken", s.messageQueueAccessToken());
        node.set("statistics", statistics(s.statistics()));
        return node;
    }

    /** The message envelope: {@code body} is a JSON string that holds a JSON array (PROTOCOL.md §2.1). */
    public static ObjectNode message(QueueMessage m, String serviceUrl) {
        ArrayNode body = MAPPER.createArrayNode();
        for (JobMessage j : m.jobMessages()) {
            body.add(jobMessage(j, serviceUrl));
        }
        ObjectNode node = MAPPER.createObjectNode()
                .put("messageId", m.messageId())
                .put("messageType", "RunnerScaleSetJobMessages")
                .put("body", write(body));
        node.set("statistics", statistics(m.statistics()));
        return node;
    }

    public static ObjectNode jobMessage(JobMessage j, String serviceUrl) {
        ObjectNode node = MAPPER.createObjectNode().put("messageType", j.type());
        if (JobMessage.JOB_AVAILABLE.equals(j.type())) {
            node.put("acquireJobUrl", serviceUrl + "_apis/runtime/runnerscalesets/" + j.scaleSetId() + "/acquirejobs");
        }
        node.put("runnerRequestId", j.runnerRequestId())
                .put("repositoryName", j.repositoryName())
                .put("ownerName", j.ownerName())
                .put("jobId", j.jobId())
                .put("jobWorkflowRef", j.jobWorkflowRef())
                .put("jobDisplayName", j.jobDisplayName())
                .put("workflowRunId", j.workflowRunId())
                .put("eventName", j.eventName());
        ArrayNode labels = node.putArray("requestLabels");
        j.requestLabels().forEach(labels::add);
        node.put("queueTime", time(j.queueTime()))
                .put("scaleSetAssignTime", time(j.scaleSetAssignTime()))
                .put("runnerAssignTime", time(j.runnerAssignTime()))
                .put("finishTime", time(j.finishTime()));
        if (JobMessage.JOB_STARTED.equals(j.type()) || JobMessage.JOB_COMPLETED.equals(j.type())) {
            node.put("runnerId", j.runnerId() == null ? 0 : j.runnerId());
            node.put("runnerName", j.runnerName() == null ? "" : j.runnerName());
        }
        if (JobMessage.JOB_COMPLETED.equals(j.type())) {
            node.put("result", j.result());
        }
        return node;
    }

    /** An element of the legacy acquirablejobs list: the fields PROTOCOL.md §1.4 lists. */
    public static ObjectNode acquirableJob(JobMessage j, String serviceUrl) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("acquireJobUrl", serviceUrl + "_apis/runtime/runnerscalesets/" + j.scaleSetId() + "/acquirejobs")
                .put("messageType", j.type())
                .put("runnerRequestId", j.runnerRequestId())
                .put("repositoryName", j.repositoryName())
                .put("ownerName", j.ownerName())
                .put("jobWorkflowRef", j.jobWorkflowRef())
                .put("eventName", j.eventName());
        ArrayNode labels = node.putArray("requestLabels");
        j.requestLabels().forEach(labels::add);
        return node;
    }

    public static ObjectNode runnerReference(RunnerView r) {
        return MAPPER.createObjectNode().put("id", r.id()).put("name", r.name()).put("runnerScaleSetId", r.scaleSetId());
    }

    public static ObjectNode runnerGroup(RunnerGroupView g) {
        return MAPPER.createObjectNode().put("id", g.id()).put("name", g.name()).put("size", g.size())
                .put("isDefaultGroup", g.isDefaultGroup());
    }

    /** The list shape the service uses everywhere: {@code {"count":n,"value":[...]}}. */
    public static ObjectNode list(List<? extends JsonNode> items) {
        ObjectNode node = MAPPER.createObjectNode().put("count", items.size());
        node.putArray("value").addAll(items);
        return node;
    }

    public static ObjectNode error(String typeName, String message) {
        return MAPPER.createObjectNode().put("typeName", typeName).put("message", message);
    }

    public static ObjectNode gitHubError(String message) {
        return MAPPER.createObjectNode().put("message", message)
                .put("documentation_url", "https://docs.github.com/rest");
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Reads a request body, stripping a UTF-8 byte-order mark as Go clients do (PROTOCOL.md §3). */
    public static JsonNode read(byte[] body) throws IOException {
        int offset = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        if (body.length - offset == 0) {
            return MAPPER.nullNode();
        }
        return MAPPER.readTree(body, offset, body.length - offset);
    }

    public static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }
}
