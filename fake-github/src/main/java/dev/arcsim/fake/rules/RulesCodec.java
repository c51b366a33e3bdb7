package dev.arcsim.fake.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;

/**
 * The rules as JSON and YAML name them: {@code sessionConflict}, {@code orphanSessionTtlSeconds},
 * {@code longPollSeconds}, {@code messageQueueTokenTtlSeconds}, {@code adminTokenTtlSeconds},
 * {@code maxJobMessagesPerMessage}, {@code evictSessionOnRefresh}, {@code scaleSetDeleted}, {@code jobReassignments},
 * {@code jobReassignAfterSeconds}.
 */
public final class RulesCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400;

    private RulesCodec() {
    }

    /**
     * Applies a partial update to {@code base}: fields left out keep their value. Every field is checked before
     * anything is returned, so a bad update changes nothing.
     */
    public static Rules merge(Rules base, JsonNode patch, String path) {
        JsonInput in = JsonInput.object(patch, path);
        Rules merged = new Rules(
                in.choice("sessionConflict", SessionConflict::fromWireName, SessionConflict.allowed()).orElse(base.sessionConflict()),
                in.longValue("orphanSessionTtlSeconds", 0, 30 * DAY).orElse(base.orphanSessionTtlSeconds()),
                in.longValue("longPollSeconds", 0, DAY).orElse(base.longPollSeconds()),
                in.longValue("messageQueueTokenTtlSeconds", 1, 30 * DAY).orElse(base.messageQueueTokenTtlSeconds()),
                in.longValue("adminTokenTtlSeconds", 1, 30 * DAY).orElse(base.adminTokenTtlSeconds()),
                in.intValue("maxJobMessagesPerMessage", 1, 10_000).orElse(base.maxJobMessagesPerMessage()),
                in.bool("evictSessionOnRefresh").orElse(base.evictSessionOnRefresh()),
                in.bool("scaleSetDeleted").orElse(base.scaleSetDeleted()),
                in.intValue("jobReassignments", 0, 100).orElse(base.jobReassignments()),
                in.longValue("jobReassignAfterSeconds", 0, 30 * DAY).orElse(base.jobReassignAfterSeconds()));
        in.rejectUnknown();
        if (patch.has("adminTokenTtlSeconds") && merged.adminTokenTtlSeconds() <= ADMIN_REFRESH_MARGIN_SECONDS) {
            throw new InvalidInputException(in.field("adminTokenTtlSeconds"), "must be above "
                    + ADMIN_REFRESH_MARGIN_SECONDS + " s, got " + merged.adminTokenTtlSeconds() + ": ARC's client renews the "
                    + "admin token when fewer than " + ADMIN_REFRESH_MARGIN_SECONDS + " s remain (PROTOCOL.md), so a shorter "
                    + "one re-registers before every admin call; try 120 or more");
        }
        return merged;
    }

    /** How long before the admin token's {@code exp} ARC's client renews it ({@code updateTokenIfNeeded}). */
    static final long ADMIN_REFRESH_MARGIN_SECONDS = 60;

    public static ObjectNode toJson(Rules r) {
        return JSON.createObjectNode()
                .put("sessionConflict", r.sessionConflict().wireName())
                .put("orphanSessionTtlSeconds", r.orphanSessionTtlSeconds())
                .put("longPollSeconds", r.longPollSeconds())
                .put("messageQueueTokenTtlSeconds", r.messageQueueTokenTtlSeconds())
                .put("adminTokenTtlSeconds", r.adminTokenTtlSeconds())
                .put("maxJobMessagesPerMessage", r.maxJobMessagesPerMessage())
                .put("evictSessionOnRefresh", r.evictSessionOnRefresh())
                .put("scaleSetDeleted", r.scaleSetDeleted())
                .put("jobReassignments", r.jobReassignments())
                .put("jobReassignAfterSeconds", r.jobReassignAfterSeconds());
    }
}
