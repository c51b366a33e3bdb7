package dev.arcsim.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's events in the order they were recorded, from every actor. Thread-safe to record into; checkers read a
 * copy. Written as {@code history.jsonl}: one JSON object a line, {@code seq}, {@code t}, {@code actor}, {@code type}
 * first, then the event's fields by name. Fields are kept sorted by name, nested maps too when written: actors hand
 * in {@code Map.of}s, whose order each JVM draws anew, and a replay must be byte-identical across processes.
 */
public final class History {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private final List<HistoryEvent> events = new ArrayList<>();

    public synchronized HistoryEvent record(Instant at, String actor, String type, Map<String, ?> fields) {
        Map<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        HistoryEvent e = new HistoryEvent(events.size() + 1, at, actor, type, copy);
        events.add(e);
        return e;
    }

    public synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    public static History of(List<HistoryEvent> events) {
        History h = new History();
        events.forEach(e -> h.record(e.at(), e.actor(), e.type(), e.fields()));
        return h;
    }

    public void writeJsonl(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (HistoryEvent e : events()) {
                ObjectNode line = JSON.createObjectNode().put("seq", e.seq()).put("t", e.at().toString())
                        .put("actor", e.actor()).put("type", e.type());
                e.fields().forEach((k, v) -> line.set(k, JSON.valueToTree(v)));
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    public static History readJsonl(Path file) throws IOException {
        History h = new History();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var f = it.next();
                if (!List.of("seq", "t", "actor", "type").contains(f.getKey())) {
                    fields.put(f.getKey(), JSON.treeToValue(f.getValue(), Object.class));
                }
            }
            h.record(Instant.parse(n.get("t").asText()), n.get("actor").asText(), n.get("type").asText(), fields);
        }
        return h;
    }
}
