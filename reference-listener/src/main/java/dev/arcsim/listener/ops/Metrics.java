package dev.arcsim.listener.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small Prometheus registry that writes the text exposition format (0.0.4). It carries ARC's {@code gha_*} metrics
 * with their names, label sets and default buckets (PROTOCOL.md §4.8), and arcsim's own {@code arcsim_listener_*}.
 * Written here rather than through a metrics library, so that the names come out exactly as ARC's and nothing is
 * renamed by a naming convention.
 */
public final class Metrics {

    /** ARC's default histogram buckets, in seconds (45 values). */
    public static final double[] ARC_BUCKETS = {0.01, 0.05, 0.1, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 18, 20, 25,
            30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 150, 180, 210, 240, 300, 360, 420, 480, 540, 600, 900, 1200, 1800,
            2400, 3000, 3600};

    private enum Kind { GAUGE, COUNTER, HISTOGRAM }

    private record Family(String name, Kind kind, String help, Map<Map<String, String>, double[]> series) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    private synchronized Family family(String name, Kind kind, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, kind, help, new LinkedHashMap<>()));
    }

    public synchronized void set(String name, String help, Map<String, String> labels, double value) {
        family(name, Kind.GAUGE, help).series().put(new TreeMap<>(labels), new double[] {value});
    }

    public synchronized void inc(String name, String help, Map<String, String> labels, double by) {
        double[] v = family(name, Kind.COUNTER, help).series().computeIfAbsent(new TreeMap<>(labels), k -> new double[] {0});
        v[0] += by;
    }

    /** Observes a value: per-bucket counts, then sum and count at the end of the array. */
    public synchronized void observe(String name, String help, Map<String, String> labels, double value) {
        double[] v = family(name, Kind.HISTOGRAM, help).series()
                .computeIfAbsent(new TreeMap<>(labels), k -> new double[ARC_BUCKETS.length + 2]);
        for (int i = 0; i < ARC_BUCKETS.length; i++) {
            if (value <= ARC_BUCKETS[i]) {
                v[i]++;
            }
        }
        v[ARC_BUCKETS.length] += value;
        v[ARC_BUCKETS.length + 1]++;
    }

    public synchronized double value(String name, Map<String, String> labels) {
        Family f = families.get(name);
        double[] v = f == null ? null : f.series().get(new TreeMap<>(labels));
        return v == null ? Double.NaN : f.kind() == Kind.HISTOGRAM ? v[ARC_BUCKETS.length + 1] : v[0];
    }

    public synchronized String scrape() {
        StringBuilder out = new StringBuilder();
        for (Family f : families.values()) {
            out.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.kind().name().toLowerCase(Locale.ROOT)).append('\n');
            for (var e : f.series().entrySet()) {
                double[] v = e.getValue();
                if (f.kind() != Kind.HISTOGRAM) {
                    out.append(f.name()).append(labels(e.getKey(), null)).append(' ').append(number(v[0])).append('\n');
                    continue;
                }
                for (int i = 0; i < ARC_BUCKETS.length; i++) {
                    out.append(f.name()).append("_bucket").append(labels(e.getKey(), number(ARC_BUCKETS[i])))
                            .append(' ').append(number(v[i])).append('\n');
                }
                out.append(f.name()).append("_bucket").append(labels(e.getKey(), "+Inf")).append(' ')
                        .append(number(v[ARC_BUCKETS.length + 1])).append('\n');
                out.append(f.name()).append("_sum").append(labels(e.getKey(), null)).append(' ')
                        .append(number(v[ARC_BUCKETS.length])).append('\n');
                out.append(f.name()).append("_count").append(labels(e.getKey(), null)).append(' ')
                        .append(number(v[ARC_BUCKETS.length + 1])).append('\n');
            }
        }
        return out.toString();
    }

    private static String labels(Map<String, String> labels, String le) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""));
        if (le != null) {
            parts.add("le=\"" + le + "\"");
        }
        return parts.isEmpty() ? "" : "{" + String.join(",", parts) + "}";
    }

    private static String number(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
