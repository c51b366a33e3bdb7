package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run measured, from its history alone: pickup latency (job queued to started on a runner), API calls by
 * endpoint and status (over the run and within each fault window), 409s on session create, listener restarts,
 * peak runners and each disruption's recovery.
 *
 * @param apiCalls endpoint to status to count; status 0 is a broken delivery (reset, hang cut, malformed)
 * @param sessionsOrphaned sessions the service dropped because nobody used or deleted them (the orphan TTL ran out)
 */
public record Measures(List<Double> pickupSeconds, Double pickupP50Seconds, Double pickupP95Seconds,
                       Map<String, Map<Integer, Long>> apiCalls, long apiCallsTotal, long sessionConflicts,
                       int listenerRestarts, int runnersPeak, List<Window> windows,
                       List<BoundedRecovery.Recovery> recoveries, Double recoverySeconds, int sessionsOrphaned) {

    /**
     * A fault window: from {@code fault-window-opened} to {@code fault-window-closed} (or the end of the run), in
     * seconds from the history's first event, with the API calls answered and faults injected within it.
     */
    public record Window(String id, String what, double openedAt, Double closedAt, Map<String, Map<Integer, Long>> apiCalls,
                         long faultsInjected) {
    }

    public static Measures of(List<HistoryEvent> history) {
        List<HistoryEvent> service = Checker.service(history);
        Map<Object, Instant> queued = new HashMap<>();
        Map<Object, Instant> started = new LinkedHashMap<>();
        int runners = 0;
        int peak = 0;
        for (HistoryEvent e : service) {
            switch (e.type()) {
                case "job-queued" -> queued.putIfAbsent(e.field("job"), e.at());
                case "job-started" -> started.putIfAbsent(e.field("job"), e.at());
                case "runner-registered" -> peak = Math.max(peak, ++runners);
                case "runner-removed" -> runners--;
                default -> {
                }
            }
        }
        List<Double> pickups = new ArrayList<>();
        started.forEach((job, at) -> {
            Instant q = queued.get(job);
            if (q != null) {
                pickups.add(Duration.between(q, at).toMillis() / 1000.0);
            }
        });
        pickups.sort(Double::compare);
        Map<String, Map<Integer, Long>> calls = calls(service, Instant.MIN, Instant.MAX);
        long total = calls.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        long conflicts = calls.getOrDefault("create-session", Map.of()).getOrDefault(409, 0L);
        int listenerStarts = (int) history.stream().filter(e -> e.actor().equals("kubelet") && e.type().equals("pod-started")
                && String.valueOf(e.field("pod")).startsWith("arc-systems/")).count();
        List<BoundedRecovery.Recovery> recoveries = BoundedRecovery.recoveries(history);
        return new Measures(List.copyOf(pickups), percentile(pickups, 0.50), percentile(pickups, 0.95), calls, total,
                conflicts, Math.max(0, listenerStarts - 1), peak, windows(history, service), recoveries,
                BoundedRecovery.worst(recoveries), (int) service.stream()
                        .filter(e -> e.type().equals("session-ended") && "expired".equals(e.text("reason"))).count());
    }

    private static List<Window> windows(List<HistoryEvent> history, List<HistoryEvent> service) {
        if (history.isEmpty()) {
            return List.of();
        }
        Instant origin = history.get(0).at();
        Instant end = history.get(history.size() - 1).at();
        Map<String, HistoryEvent> opened = new LinkedHashMap<>();
        Map<String, HistoryEvent> closed = new HashMap<>();
        for (HistoryEvent e : history) {
            if (e.type().equals("fault-window-opened")) {
                opened.put(e.text("window"), e);
            } else if (e.type().equals("fault-window-closed")) {
                closed.put(e.text("window"), e);
            }
        }
        List<Window> out = new ArrayList<>();
        opened.forEach((id, open) -> {
            HistoryEvent close = closed.get(id);
            Instant until = close == null ? end : close.at();
            long injected = history.stream().filter(e -> e.type().equals("fault-injected") && !e.at().isBefore(open.at())
                    && !e.at().isAfter(until)).count();
            out.add(new Window(id, open.text("what"), Duration.between(origin, open.at()).toMillis() / 1000.0,
                    close == null ? null : Duration.between(origin, close.at()).toMillis() / 1000.0,
                    calls(service, open.at(), until), injected));
        });
        return out;
    }

    private static Map<String, Map<Integer, Long>> calls(List<HistoryEvent> service, Instant from, Instant to) {
        Map<String, Map<Integer, Long>> calls = new TreeMap<>();
        for (HistoryEvent e : service) {
            if (e.type().equals("api-call") && !e.at().isBefore(from) && !e.at().isAfter(to)) {
                int status = e.field("status") instanceof Number n ? n.intValue() : 0;
                calls.computeIfAbsent(e.text("endpoint"), k -> new TreeMap<>()).merge(status, 1L, Long::sum);
            }
        }
        return calls;
    }

    /** Nearest-rank percentile; null when there is nothing to rank. */
    public static Double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
