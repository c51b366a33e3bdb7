package dev.arcsim.history;

import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened in a run: when, which actor (fake-github, listener, controller, kubelet, workload,
 * timeline) and what, with its fields. A run's history is the only thing checkers read.
 */
public record HistoryEvent(long seq, Instant at, String actor, String type, Map<String, Object> fields) {

    /** Fields sorted by name: {@code Map.copyOf}'s order is drawn anew by each JVM, and replays must match byte for byte. */
    public HistoryEvent {
        fields = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(fields));
    }

    public Object field(String name) {
        return fields.get(name);
    }

    public String text(String name) {
        Object v = fields.get(name);
        return v == null ? null : v.toString();
    }
}
