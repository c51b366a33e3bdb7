package dev.arcsim.report;

import dev.arcsim.check.Checker;
import dev.arcsim.check.Measures;
import dev.arcsim.history.History;
import dev.arcsim.history.HistoryEvent;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reports people read: {@code report.md} and a self-contained {@code report.html} (the chart is an embedded
 * PNG), with a timeline chart drawn from the history: jobs waiting and running, runners, whether the listener is
 * ready (it polls with a live session), whether the service holds a session for the scale set (an orphaned one
 * included), and the fault windows shaded.
 */
public final class Reports {

    private Reports() {
    }

    /** The series the chart draws, sampled from the history every {@code step}. */
    public record Timeline(List<Double> seconds, List<Double> waiting, List<Double> running, List<Double> runners,
                           List<Double> session, List<Double> ready, List<double[]> windows) {
    }

    public static Timeline timeline(List<HistoryEvent> history, Duration step) {
        List<Double> t = new ArrayList<>();
        List<Double> waiting = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        List<Double> runners = new ArrayList<>();
        List<Double> session = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        if (history.isEmpty()) {
            return new Timeline(t, waiting, running, runners, session, ready, List.of());
        }
        Instant origin = history.stream().filter(e -> e.type().equals("workload-started")).map(HistoryEvent::at)
                .findFirst().orElse(history.get(0).at());
        Instant end = history.get(history.size() - 1).at();
        // a job is waiting from its queueing until it starts or ends, running from its start until it ends
        Set<Object> waitingJobs = new HashSet<>();
        Set<Object> runningJobs = new HashSet<>();
        Set<Object> started = new HashSet<>();
        Set<Object> done = new HashSet<>();
        Set<Object> sessions = new HashSet<>();
        int registered = 0;
        boolean listenerReady = false;
        int i = 0;
        for (Instant at = origin; !at.isAfter(end.plus(step)); at = at.plus(step)) {
            while (i < history.size() && !history.get(i).at().isAfter(at)) {
                HistoryEvent e = history.get(i++);
                if (e.actor().equals("listener")) {
                    if (e.type().equals("listener-ready")) {
                        listenerReady = true;
                    } else if (e.type().equals("listener-not-ready") || e.type().equals("listener-exited")) {
                        listenerReady = false;
                    }
                } else if (e.actor().equals("kubelet") && e.type().equals("pod-killed")
                        && String.valueOf(e.field("pod")).startsWith("arc-systems/")) {
                    listenerReady = false;
                }
                if (!e.actor().equals(Checker.SERVICE)) {
                    continue;
                }
                Object job = e.field("job");
                switch (e.type()) {
                    case "job-queued" -> {
                        if (!started.contains(job) && !done.contains(job)) {
                            waitingJobs.add(job);
                        }
                    }
                    case "job-started" -> {
                        started.add(job);
                        waitingJobs.remove(job);
                        if (!done.contains(job)) {
                            runningJobs.add(job);
                        }
                    }
                    case "job-completed", "job-canceled" -> {
                        done.add(job);
                        waitingJobs.remove(job);
                        runningJobs.remove(job);
                    }
                    case "runner-registered" -> registered++;
                    case "runner-removed" -> registered--;
                    case "session-created" -> sessions.add(e.field("session"));
                    case "session-ended" -> sessions.remove(e.field("session"));
                    default -> {
                    }
                }
            }
            t.add(Duration.between(origin, at).toMillis() / 1000.0);
            waiting.add((double) waitingJobs.size());
            running.add((double) runningJobs.size());
            runners.add((double) registered);
            session.add(sessions.isEmpty() ? 0.0 : 1.0);
            ready.add(listenerReady ? 1.0 : 0.0);
        }
        List<double[]> windows = new ArrayList<>();
        double origin0 = Duration.between(history.get(0).at(), origin).toMillis() / 1000.0;
        for (Measures.Window w : Measures.of(history).windows()) {
            double close = w.closedAt() == null ? t.get(t.size() - 1) : w.closedAt() - origin0;
            windows.add(new double[] {w.openedAt() - origin0, close});
        }
        return new Timeline(t, waiting, running, runners, session, ready, windows);
    }

    /** The chart's sampling step: 250 ms, or longer for a long run, so the chart has about {@value #CHART_POINTS} points. */
    static Duration chartStep(List<HistoryEvent> history) {
        if (history.isEmpty()) {
            return Duration.ofMillis(250);
        }
        Duration length = Duration.between(history.get(0).at(), history.get(history.size() - 1).at());
        Duration step = length.dividedBy(CHART_POINTS);
        return step.compareTo(Duration.ofMillis(250)) > 0 ? step : Duration.ofMillis(250);
    }

    static final int CHART_POINTS = 2000;

    /** The timeline chart as a PNG. */
    public static byte[] chart(String title, Timeline tl) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(960).height(420).title(title)
                .xAxisTitle("seconds since the workload started").yAxisTitle("count").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(0);
        List<Double> x = tl.seconds().isEmpty() ? List.of(0.0) : tl.seconds();
        double top = 1;
        for (List<Double> s : List.of(tl.waiting(), tl.running(), tl.runners())) {
            for (double v : s) {
                top = Math.max(top, v);
            }
        }
        int n = 1;
        for (double[] w : tl.windows()) {
            XYSeries shade = chart.addSeries(n == 1 ? "fault window" : "fault window " + n,
                    new double[] {w[0], w[0], w[1], w[1]}, new double[] {0, top, top, 0});
            shade.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            shade.setFillColor(new Color(220, 50, 50, 45));
            shade.setLineColor(new Color(220, 50, 50, 90));
            shade.setMarker(SeriesMarkers.NONE);
            shade.setShowInLegend(n++ == 1);
        }
        line(chart, "jobs waiting", x, orZero(tl.waiting()), new Color(230, 140, 0));
        line(chart, "jobs running", x, orZero(tl.running()), new Color(40, 120, 200));
        line(chart, "runners", x, orZero(tl.runners()), new Color(60, 160, 60));
        double high = top;
        List<Double> ready = tl.ready().stream().map(v -> v * high).toList();
        line(chart, "listener ready (high = yes)", x, orZero(ready), new Color(20, 20, 20));
        // a little lower, so the two on/off lines stay apart where they agree
        List<Double> session = tl.session().stream().map(v -> v * high * 0.92).toList();
        line(chart, "a session on the service (high = yes)", x, orZero(session), new Color(120, 60, 160));
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<Double> orZero(List<Double> s) {
        return s.isEmpty() ? List.of(0.0) : s;
    }

    private static void line(XYChart chart, String name, List<Double> x, List<Double> y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
    }

    /** Writes {@code report.md}, {@code timeline.png} and {@code report.html} for one run. */
    public static void writeRun(RunSummary s, History history, String scenarioText, Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] png = chart(s.scenario() + " under " + s.policy(), timeline(history.events(), chartStep(history.events())));
        Files.write(dir.resolve("timeline.png"), png);
        Files.writeString(dir.resolve("report.md"), markdown(s, "timeline.png"));
        Files.writeString(dir.resolve("report.html"), html(s, png, scenarioText));
    }

    static String markdown(RunSummary s, String chart) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(s.scenario()).append(" under ").append(s.policy()).append("\n\n");
        md.append(s.description()).append("\n\n");
        md.append("**Verdict: ").append(s.verdict()).append("**");
        if (!s.unmetExpectations().isEmpty()) {
            md.append(" (").append(String.join("; ", s.unmetExpectations())).append(")");
        }
        md.append(". Seed ").append(s.seed()).append(", ").append(s.world()).append(" world, ")
                .append(RunSummary.seconds(s.durationSeconds())).append(".\n\n");
        md.append("Replay: `").append(s.replay()).append("`\n\n");
        RunSummary.Listener l = s.listener();
        if (l != null && l.binary() != null) {
            md.append(l.program().startsWith("arc ")
                    ? "Ran ARC's own controller and listener (" + l.program().substring(4) + ") on a real API server; the listener "
                    : "Ran ARC's listener in the listener pods: ").append("`").append(l.binary()).append("` (sha256 `")
                    .append(l.sha256()).append("`), judged by the ").append(s.policy()).append(" model.");
            if (l.logs() != null) {
                md.append(" Every process's output, scrubbed of secrets: [").append(l.logs()).append("/](").append(l.logs())
                        .append("/).");
            }
            md.append("\n\n");
        }
        md.append("![timeline](").append(chart).append(")\n\n");
        md.append("## Invariants\n\n| invariant | held | expected to break | detail |\n|---|---|---|---|\n");
        s.invariants().forEach((name, inv) -> md.append("| ").append(name).append(" | ").append(inv.ok() ? "yes" : "**no**")
                .append(" | ").append(s.expectedBreaks().contains(name) ? "yes" : "").append(" | ")
                .append(inv.message().replace("|", "\\|")).append(inv.evidence().isEmpty() ? ""
                        : " (history events " + inv.evidence().stream().limit(5).map(String::valueOf).toList() + ")")
                .append(" |\n"));
        md.append("\n## Measures\n\n| measure | value |\n|---|---|\n");
        row(md, "jobs queued / completed / lost / run twice", s.jobsQueued() + " / " + s.jobsCompleted() + " / "
                + s.jobsLost() + " / " + s.jobsDuplicated());
        row(md, "worst recovery (to the first successful poll)", RunSummary.seconds(s.recoverySeconds()));
        row(md, "pickup p50 / p95", RunSummary.seconds(s.pickupP50Seconds()) + " / " + RunSummary.seconds(s.pickupP95Seconds()));
        row(md, "runners at peak", String.valueOf(s.runnersPeak()));
        row(md, "listener restarts", String.valueOf(s.listenerRestarts()));
        row(md, "session conflicts (409 on create)", String.valueOf(s.sessionConflicts()));
        row(md, "API calls", String.valueOf(s.apiCalls()));
        if (!s.recoveries().isEmpty()) {
            md.append("\n## Recoveries\n\n| disruption | to first poll | to first acquire | backlog drained |\n|---|---|---|---|\n");
            for (RunSummary.Recovery r : s.recoveries()) {
                md.append("| ").append(r.what()).append(" (event ").append(r.event()).append(") | ")
                        .append(RunSummary.seconds(r.toFirstPoll())).append(" | ").append(RunSummary.seconds(r.toFirstAcquire()))
                        .append(" | ").append(RunSummary.seconds(r.toBacklogDrained())).append(" |\n");
            }
        }
        if (!s.faultWindows().isEmpty()) {
            md.append("\n## Fault windows\n\n| window | what | from | to | faults injected | API calls (endpoint: status x count) |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (Measures.Window w : s.faultWindows()) {
                md.append("| ").append(w.id()).append(" | ").append(w.what().replace("|", "\\|")).append(" | ")
                        .append(RunSummary.seconds(w.openedAt())).append(" | ").append(RunSummary.seconds(w.closedAt()))
                        .append(" | ").append(w.faultsInjected()).append(" | ").append(calls(w.apiCalls())).append(" |\n");
            }
        }
        md.append("\n## API calls over the run\n\n").append(calls(s.apiCallsByEndpoint())).append("\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    static String calls(Map<String, Map<Integer, Long>> calls) {
        List<String> parts = new ArrayList<>();
        calls.forEach((endpoint, byStatus) -> {
            List<String> st = new ArrayList<>();
            byStatus.forEach((status, n) -> st.add((status == 0 ? "broken" : status.toString()) + " x" + n));
            parts.add(endpoint + ": " + String.join(", ", st));
        });
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    static String html(RunSummary s, byte[] png, String scenarioText) {
        String body = MarkdownHtml.render(markdown(s, "data:image/png;base64," + Base64.getEncoder().encodeToString(png)));
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + MarkdownHtml.escape(s.scenario())
                + " under " + MarkdownHtml.escape(s.policy()) + "</title>\n<style>" + MarkdownHtml.STYLE + "</style></head>\n<body>\n"
                + body + (scenarioText == null ? "" : "<h2>Scenario</h2>\n<pre>" + MarkdownHtml.escape(scenarioText) + "</pre>\n")
                + "</body></html>\n";
    }
}
