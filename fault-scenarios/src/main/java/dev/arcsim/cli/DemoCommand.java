package dev.arcsim.cli;

import dev.arcsim.check.NoJobLost;
import dev.arcsim.check.NoJobTwice;
import dev.arcsim.check.NoSessionLeak;
import dev.arcsim.check.RunnerBounds;
import dev.arcsim.check.Verdict;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.fake.state.Views.JobView;
import dev.arcsim.listener.policy.PolicyFactory;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.world.EmbeddedWorld;
import dev.arcsim.world.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
        PrintWriter out = spec.commandLine().getOut();
        SystemScheduler clock = new SystemScheduler();
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> arrivals = new ArrayList<>();   // milliseconds after start
        List<Long> durations = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            arrivals.add(spread.toMillis() * i / jobs + random.nextLong(Math.max(1, spread.toMillis() / jobs)));
            durations.add(2 + random.nextLong(5));   // 2 to 6 s of "work"
        }

        out.printf("arcsim demo: %d jobs over %s, runner set min 0 max %d, listener policy %s%n", jobs, duration, maxRunners, policy);
        try (EmbeddedWorld world = new EmbeddedWorld(new EmbeddedWorld.Options(seed, policy,
                dev.arcsim.fake.rules.Rules.defaults(), Duration.ofMillis(200)))) {
            out.printf("  fake-github on %s, embedded Kubernetes API server on %s%n", world.fakeServer.baseUrl(),
                    world.kubernetes.getMasterUrl());
            out.flush();
            world.createRunnerSet("arc-runner-set", 0, maxRunners);
            Instant start = clock.now();
            Instant deadline = start.plus(spread).plus(Duration.ofMinutes(2));
            int queued = 0;
            int peak = 0;
            while (clock.now().isBefore(deadline)) {
                long elapsed = Duration.between(start, clock.now()).toMillis();
                while (queued < jobs && arrivals.get(queued) <= elapsed) {
                    world.queueJobs("arc-runner-set", 1, durations.get(queued));
                    queued++;
                }
                List<JobView> all = world.fake.state().snapshot().jobs();
                int runners = world.runners();
                peak = Math.max(peak, runners);
                long done = all.stream().filter(j -> j.state() == JobState.COMPLETED).count();
                long running = all.stream().filter(j -> j.state() == JobState.STARTED).count();
                out.printf("  t=%3ds  queued %3d  waiting %3d  running %3d  done %3d  runners %3d  listener %s%n",
                        elapsed / 1000, queued, queued - done - running, running, done, runners, listenerState(world));
                out.flush();
                if (queued == jobs && done == jobs) {
                    break;
                }
                clock.sleep(Duration.ofSeconds(1));
            }
            int restarts = world.listeners().stream().mapToInt(al -> al.getStatus() == null || al.getStatus().restarts == null
                    ? 0 : al.getStatus().restarts).sum();
            Duration elapsed = Duration.between(start, clock.now());
            // The graceful end: delete the runner set; the controller stops the listener (which deletes its session),
            // removes the runners and deletes the scale set.
            out.println("  deleting the runner set ...");
            out.flush();
            world.cluster.delete(dev.arcsim.controller.crd.AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, "arc-runner-set");
            Instant teardownDeadline = clock.now().plus(Duration.ofSeconds(60));
            while (!world.fake.state().snapshot().scaleSets().isEmpty() && clock.now().isBefore(teardownDeadline)) {
                clock.sleep(Duration.ofMillis(200));
            }
            var events = world.history().events();
            List<Verdict> verdicts = List.of(new NoJobLost().check(events), new NoJobTwice().check(events),
                    new RunnerBounds(0, maxRunners).check(events), new NoSessionLeak().check(events));
            RunSummary summary = RunSummary.of("demo", policy, seed, "embedded", world.fake.state().snapshot().jobs(),
                    world.fake.journal().counters(), peak, restarts, elapsed, verdicts);
            try {
                summary.write(dir);
                world.history().writeJsonl(dir.resolve("history.jsonl"));
            } catch (IOException e) {
                throw new ArcsimCommand.UserError("cannot write the report in " + dir + ": " + e.getMessage());
            }
            out.println();
            out.print(summary.table());
            out.println("  summary: " + dir.resolve("summary.json") + "   history: " + dir.resolve("history.jsonl"));
            out.flush();
            return "pass".equals(summary.verdict()) ? 0 : 1;
        }
    }

    private static String listenerState(EmbeddedWorld world) {
        List<AutoscalingListener> listeners = world.listeners();
        if (listeners.isEmpty()) {
            return "starting";
        }
        return world.fake.state().snapshot().sessions().isEmpty() ? "no session" : "polling";
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
