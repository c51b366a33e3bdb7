package dev.arcsim.cli;

import dev.arcsim.listener.policy.PolicyFactory;
import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.ScenarioRunner;
import dev.arcsim.report.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code arcsim demo}: the whole loop in one process, with a summary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole loop in one process: fake-github, an embedded Kubernetes API server, the reference",
                "controller, the reference listener and simulated runners. Queues jobs, shows progress, and ends with",
                "a summary table and DIR/summary.json. Exit 0 when no job was lost or run twice."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--jobs", description = "Jobs to queue. Default: ${DEFAULT-VALUE}.", defaultValue = "20")
    int jobs;

    @Option(names = "--duration", paramLabel = "D",
            description = "Spread the jobs over this long (e.g. 20s, 2m). Default: ${DEFAULT-VALUE}.", defaultValue = "20s")
    String duration;

    @Option(names = "--report", paramLabel = "DIR", description = "Where summary.json goes. Default: reports/<time>-demo.")
    Path report;

    @Option(names = "--policy", description = "The listener's policy. Default: ${DEFAULT-VALUE}.", defaultValue = "resilient")
    String policy;

    @Option(names = "--max-runners", description = "The runner set's maxRunners. Default: ${DEFAULT-VALUE}.", defaultValue = "10")
    int maxRunners;

    @Option(names = "--seed", description = "Seed for arrivals, job durations and the fake. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    long seed;

    @Option(names = "--listener-binary", paramLabel = "PATH", description = "Run this listener program (ARC's "
            + "ghalistener) in the listener pod instead of arcsim's; --policy then names the ARC model that judges it.")
    String listenerBinary;

    @picocli.CommandLine.Mixin
    ClusterOption cluster = new ClusterOption();

    @Option(names = "--verbose", description = "Also log what the controller, listener and runners do (to stderr).")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Duration spread = parseDuration(duration);
        if (jobs < 1 || jobs > 10_000) {
            throw new ArcsimCommand.UserError("--jobs must be between 1 and 10000, got " + jobs);
        }
        if (maxRunners < 1) {
            throw new ArcsimCommand.UserError("--max-runners must be 1 or more, got " + maxRunners);
        }
        try {
            PolicyFactory.create(policy, java.util.Map.of());
        } catch (RuntimeException e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
        if (!verbose && org.slf4j.LoggerFactory.getLogger("dev.arcsim") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dir = report != null ? report
                : Path.of("reports", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-demo");
        var scenario = Catalogue.demo(policy, seed, jobs, spread, maxRunners).withListenerBinary(listenerBinary);
        ScenarioCommand.checkListenerBinary(scenario, "wire");
        dev.arcsim.world.ClusterKind clusterKind = cluster.kind("wire");
        PrintWriter out = spec.commandLine().getOut();
        out.printf("arcsim demo: %d jobs over %s, runner set min 0 max %d, listener policy %s, %s API server%n", jobs, duration,
                maxRunners, policy, clusterKind == dev.arcsim.world.ClusterKind.REAL ? "real" : "embedded mock");
        out.flush();
        RunSummary summary;
        try {
            summary = new ScenarioRunner(line -> {
                out.println(line);
                out.flush();
            }, Duration.ofSeconds(1), "wire", clusterKind).run(scenario, "demo", null, dir).summary();
        } catch (IOException e) {
            throw new ArcsimCommand.UserError("cannot write the report in " + dir + ": " + e.getMessage());
        } catch (dev.arcsim.world.process.ListenerBinary.Invalid e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
        out.println();
        out.print(summary.table());
        out.println("  report: " + dir.resolve("report.html") + "   summary: " + dir.resolve("summary.json")
                + "   history: " + dir.resolve("history.jsonl"));
        out.flush();
        return "pass".equals(summary.verdict()) ? 0 : 1;
    }

    /** 90, 90s, 2m, 1h, or ISO-8601 (PT90S). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(text.trim().toUpperCase());
            }
            long n = Long.parseLong(t.replaceAll("[smh]$", ""));
            Duration d = t.endsWith("m") ? Duration.ofMinutes(n) : t.endsWith("h") ? Duration.ofHours(n) : Duration.ofSeconds(n);
            if (d.isNegative() || d.isZero()) {
                throw new ArcsimCommand.UserError("--duration must be positive, got " + text);
            }
            return d;
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new ArcsimCommand.UserError("--duration must look like 20s, 2m or 1h, got \"" + text + "\"");
        }
    }
}
