package dev.arcsim.fake.journal;

import dev.arcsim.fake.faults.FaultEngine.Hit;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every request the fake served, in order, with the faults applied to it, plus counters by endpoint and status.
 * Holds the most recent {@code capacity} entries; counters cover the whole run. Tokens are never recorded: the
 * journal keeps the path and the query's parameter names and non-secret values only.
 */
public final class Journal {

    /**
     * One served request.
     *
     * @param status  the status sent, or 0 when the connection was broken instead
     * @param outcome {@code ok}, or how the connection broke ({@code connection-reset}, ...)
     */
    public record Entry(long seq, Instant at, Instant finishedAt, String endpoint, String method, String path,
                        Map<String, String> query, int status, String outcome, List<Hit> faults) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Map<String, Map<Integer, Long>> counters = new TreeMap<>();
    private long nextSeq = 1;

    public Journal(int capacity) {
        this.capacity = capacity;
    }

    public synchronized Entry record(Instant at, Instant finishedAt, String endpoint, String method, String path,
                                     Map<String, String> query, int status, String outcome, List<Hit> faults) {
        Entry entry = new Entry(nextSeq++, at, finishedAt, endpoint, method, path, Map.copyOf(query), status, outcome,
                List.copyOf(faults));
        entries.addLast(entry);
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
        counters.computeIfAbsent(endpoint, k -> new TreeMap<>()).merge(status, 1L, Long::sum);
        return entry;
    }

    /** Entries with a sequence number above {@code seq}, oldest first. */
    public synchronized List<Entry> since(long seq) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return out;
    }

    /** Requests by endpoint, then by status (0 = broken connection). */
    public synchronized Map<String, Map<Integer, Long>> counters() {
        Map<String, Map<Integer, Long>> copy = new LinkedHashMap<>();
        counters.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
        return copy;
    }

    /** Entries held now: at most the capacity. */
    public synchronized int size() {
        return entries.size();
    }

    public synchronized long lastSeq() {
        return nextSeq - 1;
    }
}
