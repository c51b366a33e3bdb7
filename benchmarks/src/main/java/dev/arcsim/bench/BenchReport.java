package dev.arcsim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a bench run measured, read from JMH's JSON: one table per question (recovery per policy and fault against
 * arc-legacy; what the listener spent; the thundering herd per policy; throughput in process, over HTTP and of the
 * fake; the simulated world's speed), a chart, and a comparison with an earlier run.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RECOVERY = "RecoveryBenchmark.recover";
    static final String SPEED = "SimSpeedBenchmark.steadyState";
    static final String THROUGHPUT = "ListenerThroughputBenchmark.handleFiftyJobMessage";
    static final String HERD = "HerdBenchmark.recoverTogether";
    /** The throughput figures, in the order the table shows them, with what each measures. */
    private static final Map<String, String> THROUGHPUTS = new LinkedHashMap<>();

    static {
        THROUGHPUTS.put(THROUGHPUT, "listener message handling, in process");
        THROUGHPUTS.put("WireThroughputBenchmark.handleFiftyJobMessageOverHttp", "listener end to end over loopback HTTP");
        THROUGHPUTS.put("FakeRequestRateBenchmark.rate", "fake-github requests, two clients");
        THROUGHPUTS.put("FakeRequestRateBenchmark.latency", "fake-github round trip, one client");
    }

    /**
     * A JMH figure with its error (half the 99.9 % confidence interval; NaN with one iteration) and, for sampled
     * times, its percentiles ("50.0", "99.0", ...).
     */
    public record Metric(double score, double error, String unit, Map<String, Double> percentiles) {
    }

    /** One benchmark with one set of parameters, in one JMH mode (thrpt, sample, ...). */
    public record Row(String benchmark, String mode, Map<String, String> params, Metric primary, Map<String, Metric> secondary) {

        String key() {
            return benchmark + (params.isEmpty() ? "" : " " + params.toString());
        }

        double sum(String counter) {
            Metric m = secondary.get(counter);
            return m == null ? 0 : m.score();
        }

        /** Mean simulated recovery of the runs that recovered; null when none did. */
        Double meanRecovery() {
            double recovered = sum("runs") - sum("unrecovered");
            return recovered <= 0 ? null : sum("recoverySeconds") / recovered;
        }

        double perRun(String counter) {
            double runs = sum("runs");
            return runs <= 0 ? 0 : sum(counter) / runs;
        }
    }

    private final List<Row> rows;
    private final String jvm;

    BenchReport(List<Row> rows, String jvm) {
        this.rows = List.copyOf(rows);
        this.jvm = jvm;
    }

    public List<Row> rows() {
        return rows;
    }

    public static BenchReport read(Path jmhJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(jmhJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(jmhJson + " is not JMH's JSON: " + e.getMessage());
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(jmhJson + " is not JMH's JSON (a list of benchmark results)");
        }
        List<Row> rows = new ArrayList<>();
        String jvm = "";
        for (JsonNode b : root) {
            String name = b.path("benchmark").asText();
            String[] parts = name.split("\\.");
            String shortName = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
            Map<String, String> params = new LinkedHashMap<>();
            b.path("params").fields().forEachRemaining(p -> params.put(p.getKey(), p.getValue().asText()));
            Map<String, Metric> secondary = new LinkedHashMap<>();
            b.path("secondaryMetrics").fields().forEachRemaining(m -> secondary.put(m.getKey(), metric(m.getValue())));
            rows.add(new Row(shortName, b.path("mode").asText("thrpt"), params, metric(b.path("primaryMetric")), secondary));
            jvm = b.path("vmName").asText("") + " " + b.path("vmVersion").asText("") + ", JMH " + b.path("jmhVersion").asText("");
        }
        return new BenchReport(rows, jvm.trim());
    }

    private static Metric metric(JsonNode m) {
        double error = m.path("scoreError").isNumber() ? m.path("scoreError").asDouble() : Double.NaN;
        Map<String, Double> percentiles = new LinkedHashMap<>();
        m.path("scorePercentiles").fields().forEachRemaining(p -> percentiles.put(p.getKey(), p.getValue().asDouble()));
        return new Metric(m.path("score").asDouble(), error, m.path("scoreUnit").asText(), percentiles);
    }

    private List<Row> recovery() {
        return rows.stream().filter(r -> r.benchmark().equals(RECOVERY)).toList();
    }

    private Row recovery(String policy, String fault) {
        return recovery().stream().filter(r -> policy.equals(r.params().get("policy")) && fault.equals(r.params().get("fault")))
                .findFirst().orElse(null);
    }

    private Set<String> values(String param) {
        Set<String> out = new LinkedHashSet<>();
        recovery().forEach(r -> out.add(r.params().get(param)));
        return out;
    }

    private List<Row> herd() {
        return rows.stream().filter(r -> r.benchmark().equals(HERD)).toList();
    }

    private static String herdBack(Row r) {
        double runs = r.sum("runs");
        double back = r.sum("runs") - r.sum("unrecovered");
        if (back <= 0) {
            return "never";
        }
        String text = seconds(r.sum("lastBackSeconds") / back);
        return r.sum("unrecovered") > 0
                ? text + String.format(Locale.ROOT, ", %d of %d never", (long) r.sum("unrecovered"), (long) runs) : text;
    }

    /** The throughput rows in the table's order. */
    private List<Row> throughputs() {
        List<Row> out = new ArrayList<>();
        for (String name : THROUGHPUTS.keySet()) {
            rows.stream().filter(r -> r.benchmark().equals(name)).forEach(out::add);
        }
        return out;
    }

    /** What a throughput row's parameters mean, in words. */
    private static String paramsText(Row r) {
        List<String> parts = new ArrayList<>();
        String k = r.params().get("kubernetes");
        if (k != null) {
            parts.add(k.equals("patch") ? "with the EphemeralRunnerSet patch" : "without Kubernetes");
        }
        String parked = r.params().get("parked");
        if (parked != null) {
            parts.add(String.format(Locale.ROOT, "%,d long polls parked", Long.parseLong(parked)));
        }
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }

    private static String unitText(Row r) {
        if (r.benchmark().startsWith("ListenerThroughput") || r.benchmark().startsWith("WireThroughput")) {
            return "jobs/s";
        }
        return r.primary().unit().equals("ops/s") ? "requests/s" : r.primary().unit();
    }

    /** "12.3 s (0.04x)" against arc-legacy's mean for the same fault. */
    private String recoveryCell(String policy, String fault) {
        Row r = recovery(policy, fault);
        if (r == null) {
            return "";
        }
        Double mean = r.meanRecovery();
        if (mean == null) {
            return "never";
        }
        String text = seconds(mean);
        Row base = recovery("arc-legacy", fault);
        Double baseMean = base == null ? null : base.meanRecovery();
        if (baseMean != null && baseMean > 0) {
            text += String.format(Locale.ROOT, " (%sx)", ratio(mean / baseMean));
        }
        if (r.sum("unrecovered") > 0) {
            text += String.format(Locale.ROOT, ", %d of %d never", (long) r.sum("unrecovered"), (long) r.sum("runs"));
        }
        return text;
    }

    private static String ratio(double r) {
        return r >= 10 ? String.format(Locale.ROOT, "%.0f", r) : r >= 0.1 ? String.format(Locale.ROOT, "%.2f", r)
                : String.format(Locale.ROOT, "%.3f", r);
    }

    private static String seconds(double s) {
        return s >= 100 ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String plusMinus(Metric m) {
        return Double.isNaN(m.error()) ? String.format(Locale.ROOT, "%.2f", m.score())
                : String.format(Locale.ROOT, "%.2f ± %.2f", m.score(), m.error());
    }

    /** Simulated seconds per real second of the steady-state runs, or null when not run. */
    Double speedUp() {
        return rows.stream().filter(r -> r.benchmark().equals(SPEED)).findFirst()
                .map(r -> r.perRun("simulatedSeconds") * r.primary().score()).orElse(null);
    }

    /** The recovery table in text, for the console. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        Set<String> faults = values("fault");
        if (!faults.isEmpty()) {
            out.append("  mean recovery (simulated), ratio to arc-legacy\n");
            out.append(String.format("  %-20s", "policy"));
            faults.forEach(f -> out.append(String.format(" %-22s", f)));
            out.append('\n');
            for (String p : values("policy")) {
                out.append(String.format("  %-20s", p));
                faults.forEach(f -> out.append(String.format(" %-22s", recoveryCell(p, f))));
                out.append('\n');
            }
        }
        if (!herd().isEmpty()) {
            out.append(String.format("  herd of %s listeners after a shared outage: last back, busiest second, restarts%n",
                    HerdBenchmark.LISTENERS));
            for (Row r : herd()) {
                out.append(String.format(Locale.ROOT, "  %-20s %-22s %-22s %.0f%n", r.params().get("policy"), herdBack(r),
                        String.format(Locale.ROOT, "%.0f requests/s", r.perRun("peakPerSecond")), r.perRun("restarts")));
            }
        }
        for (Row r : throughputs()) {
            out.append(String.format(Locale.ROOT, "  %s%s: %s %s%n", THROUGHPUTS.get(r.benchmark()), paramsText(r),
                    plusMinus(r.primary()), unitText(r)));
        }
        Double speed = speedUp();
        if (speed != null) {
            out.append(String.format(Locale.ROOT, "  simulated world, steady-state: %.0fx real time%n", speed));
        }
        return out.toString();
    }

    /** Writes bench.md and bench.png into {@code dir}. */
    public void write(Path dir, boolean quick) throws IOException {
        String md = markdown(quick);
        Path soak = dir.resolve("soak.md");   // a soak run's figures (arcsim bench --soak) stay with the benchmarks'
        Files.writeString(dir.resolve("bench.md"), Files.exists(soak) ? Soak.withSection(md, Files.readString(soak)) : md);
        if (!recovery().isEmpty()) {
            BitmapEncoder.saveBitmap(chart(), dir.resolve("bench.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    String markdown(boolean quick) {
        StringBuilder md = new StringBuilder("# arcsim bench").append(quick ? " --quick" : "").append("\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s; %s.%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), jvm));
        Set<String> faults = values("fault");
        if (!faults.isEmpty()) {
            md.append("## Recovery per policy and fault\n\n");
            md.append("Mean simulated seconds from the disruption to the first successful long poll begun after it, over ")
                    .append("every run of the benchmark (each its own seed); in brackets, the ratio to `arc-legacy` for the ")
                    .append("same fault. Real protocol timings: 50 s long polls, the orphan TTL the fault names.\n\n");
            md.append("| policy |");
            faults.forEach(f -> md.append(' ').append(f).append(" |"));
            md.append("\n|---|");
            faults.forEach(f -> md.append("---:|"));
            md.append('\n');
            for (String p : values("policy")) {
                md.append("| ").append(p).append(" |");
                faults.forEach(f -> md.append(' ').append(recoveryCell(p, f)).append(" |"));
                md.append('\n');
            }
            md.append("\n![recovery per policy and fault](bench.png)\n\n");
            md.append("## What recovery cost the listener\n\n");
            md.append("Per run: API calls from the disruption to recovery, 409s on session create, listener restarts, jobs ")
                    .append("that waited over a minute for a runner, jobs lost. Runs/s is JMH's score (simulated runs per ")
                    .append("second of this machine) with its error.\n\n");
            md.append("| fault | policy | recovery | calls | 409s | restarts | jobs delayed | jobs lost | runs | runs/s |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String f : faults) {
                for (String p : values("policy")) {
                    Row r = recovery(p, f);
                    if (r == null) {
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s |%n",
                            f, p, r.meanRecovery() == null ? "never" : seconds(r.meanRecovery()), r.perRun("apiCalls"),
                            r.perRun("sessionConflicts"), r.perRun("listenerRestarts"), r.perRun("jobsDelayed"),
                            r.perRun("jobsLost"), (long) r.sum("runs"), plusMinus(r.primary())));
                }
            }
            md.append('\n');
        }
        if (!herd().isEmpty()) {
            md.append("## Thundering herd\n\n");
            md.append(String.format(Locale.ROOT, "%d listeners, one scale set each, against one service whose every ", HerdBenchmark.LISTENERS))
                    .append(String.format(Locale.ROOT, "connection resets for %d minutes; a listener that exits is restarted ", HerdBenchmark.OUTAGE_MINUTES))
                    .append("50 ms later for ARC's models (as ARC's controller does), else with the reference controller's backoff. Per herd (simulated): seconds from the service's return until the ")
                    .append("last and the median listener began a successful long poll, requests sent while it was away, ")
                    .append("the most requests begun in one second in the two minutes after, 409s on session create, ")
                    .append("listener restarts.\n\n");
            md.append("| policy | last back | median back | requests during outage | busiest second after | 409s | restarts | herds | herds/s |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Row r : herd()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.1f | %.0f | %d | %s |%n",
                        r.params().get("policy"), herdBack(r), seconds(r.perRun("medianBackSeconds")), r.perRun("callsDuringOutage"),
                        r.perRun("peakPerSecond"), r.perRun("sessionConflicts"), r.perRun("restarts"), (long) r.sum("runs"),
                        plusMinus(r.primary())));
            }
            md.append('\n');
        }
        List<Row> throughput = throughputs();
        if (!throughput.isEmpty()) {
            md.append("## Throughput\n\n");
            md.append("On the wall clock of this machine. In process: 50 jobs queued at once, then polled, parsed, acquired, ")
                    .append("acked and scaled for, with fake-github's side of each call. End to end: the same through ")
                    .append("loopback HTTP, with or without the EphemeralRunnerSet patch to the embedded API server. ")
                    .append("fake-github alone: a scale set read with none or 1,000 long polls parked by idle sessions. ")
                    .append("JMH's score with its error (99.9 %); sampled round trips with their percentiles.\n\n");
            md.append("| what | score | unit | p50 | p99 |\n|---|---:|---|---:|---:|\n");
            for (Row r : throughput) {
                // JMH gives throughput rows percentiles too, of the iterations' scores: only sampled times mean them
                Map<String, Double> pct = r.mode().equals("sample") ? r.primary().percentiles() : Map.of();
                md.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %s |%n", THROUGHPUTS.get(r.benchmark()), paramsText(r),
                        plusMinus(r.primary()), unitText(r),
                        pct.containsKey("50.0") ? String.format(Locale.ROOT, "%.0f", pct.get("50.0")) : "",
                        pct.containsKey("99.0") ? String.format(Locale.ROOT, "%.0f", pct.get("99.0")) : ""));
            }
            md.append('\n');
        }
        rows.stream().filter(r -> r.benchmark().equals(SPEED)).findFirst().ifPresent(r -> {
            md.append("## The simulated world's speed\n\n");
            md.append("The catalogue's steady-state (20 jobs a minute, lognormal job durations, 50 s long polls), whole runs.\n\n");
            md.append("| simulated s per run | runs/s | speed-up over real time |\n|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| %.0f | %s | %.0fx |%n%n", r.perRun("simulatedSeconds"),
                    plusMinus(r.primary()), speedUp()));
        });
        return md.toString();
    }

    private CategoryChart chart() {
        List<String> faults = List.copyOf(values("fault"));
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(520)
                .title("Mean recovery per fault (simulated seconds)").xAxisTitle("fault").yAxisTitle("seconds").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        for (String p : values("policy")) {
            List<Double> ys = new ArrayList<>();
            for (String f : faults) {
                Row r = recovery(p, f);
                Double mean = r == null ? null : r.meanRecovery();
                ys.add(mean == null ? 0.0 : mean);   // never recovered: no bar (the tables say "never")
            }
            chart.addSeries(p, faults, ys);
        }
        return chart;
    }

    /** A run set against an earlier one. */
    public record Comparison(String text, int regressions) {
    }

    /**
     * Each figure in both runs, with its change. Runs per second regress when this run's upper error bound is below
     * the earlier lower bound (the noise JMH measured); a mean recovery regresses when it is over 10 % and 1 s longer
     * (recovery is simulated time, so it moves only with the seeds a run happened to reach, not with the machine).
     */
    public Comparison compareTo(BenchReport earlier) {
        StringBuilder out = new StringBuilder("  compared with the earlier run\n");
        int regressions = 0;
        int matched = 0;
        for (Row now : rows) {
            Row then = earlier.rows.stream().filter(r -> r.key().equals(now.key())).findFirst().orElse(null);
            if (then == null) {
                out.append("  new        ").append(now.key()).append('\n');
                continue;
            }
            matched++;
            List<String> flags = new ArrayList<>();
            double e1 = Double.isNaN(now.primary().error()) ? 0 : now.primary().error();
            double e0 = Double.isNaN(then.primary().error()) ? 0 : then.primary().error();
            boolean timed = !now.mode().equals("thrpt");   // sample, avgt, ss: a time per operation, lower is better
            boolean slower = timed ? now.primary().score() - e1 > then.primary().score() + e0
                    : now.primary().score() + e1 < then.primary().score() - e0;
            String label = now.benchmark().equals(RECOVERY) || now.benchmark().equals(HERD) ? "runs/s" : now.primary().unit();
            if (slower) {
                flags.add(label);
            }
            String recoveryText = "";
            if (now.benchmark().equals(RECOVERY)) {
                Double a = then.meanRecovery();
                Double b = now.meanRecovery();
                recoveryText = String.format(Locale.ROOT, "  recovery %s -> %s", a == null ? "never" : seconds(a),
                        b == null ? "never" : seconds(b));
                if ((a != null && b == null) || (a != null && b > a * 1.1 && b > a + 1)) {
                    flags.add("recovery");
                }
            }
            regressions += flags.isEmpty() ? 0 : 1;
            out.append(String.format(Locale.ROOT, "  %-10s %s  %s %.2f -> %.2f (%+.0f%%)%s%n",
                    flags.isEmpty() ? "ok" : "REGRESSED", now.key(), label, then.primary().score(), now.primary().score(),
                    100 * (now.primary().score() / then.primary().score() - 1), recoveryText
                            + (flags.isEmpty() ? "" : "  [" + String.join(", ", flags) + "]")));
        }
        for (Row then : earlier.rows) {
            if (rows.stream().noneMatch(r -> Objects.equals(r.key(), then.key()))) {
                out.append("  not run    ").append(then.key()).append('\n');
            }
        }
        out.append(String.format("  %d figure(s) compared, %d regressed%n", matched, regressions));
        return new Comparison(out.toString(), regressions);
    }
}
