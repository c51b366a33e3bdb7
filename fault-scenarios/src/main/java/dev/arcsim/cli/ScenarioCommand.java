package dev.arcsim.cli;

import dev.arcsim.listener.policy.PolicyFactory;
import dev.arcsim.report.RunSummary;
import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioFile;
import dev.arcsim.scenario.ScenarioRunner;
import dev.arcsim.world.process.ListenerBinary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code arcsim scenario}: fault scenarios on the embedded world. */
@Command(name = "scenario", mixinStandardHelpOptions = true, description = "Fault scenarios, played on the embedded world.",
        subcommands = {ScenarioCommand.ListScenarios.class, ScenarioCommand.Run.class, ScenarioCommand.Check.class})
public final class ScenarioCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A catalogue name or a file; a bad file is the user's mistake (exit 2) with its line. */
    static Catalogue.Entry resolve(String nameOrFile) {
        try {
            return Catalogue.resolve(nameOrFile);
        } catch (ScenarioFile.Invalid | IllegalArgumentException e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
    }

    static void checkPolicy(String policy) {
        try {
            PolicyFactory.create(policy, Map.of());
        } catch (RuntimeException e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
    }

    /** A scenario's listener binary that cannot run here is the user's to fix: one line, exit 2, before anything starts. */
    static void checkListenerBinary(Scenario scenario, String world) {
        try {
            ScenarioRunner.listenerBinary(scenario, world);
        } catch (ListenerBinary.Invalid e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
    }

    /** A --junit FILE that could not be written is found before a run, not after it. */
    static void checkJunitFile(Path file) {
        if (file == null) {
            return;
        }
        if (java.nio.file.Files.isDirectory(file)) {
            throw new ArcsimCommand.UserError("--junit " + file + " is a folder; give a file, e.g. --junit " + file.resolve("arcsim.xml"));
        }
        Path parent = file.toAbsolutePath().getParent();
        for (Path p = parent; p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p)) {
                if (!java.nio.file.Files.isDirectory(p) || !java.nio.file.Files.isWritable(p)) {
                    throw new ArcsimCommand.UserError("--junit " + file + ": cannot write there (" + p
                            + (java.nio.file.Files.isDirectory(p) ? " is not writable)" : " is not a folder)"));
                }
                return;
            }
        }
    }

    static void checkWorld(String world) {
        if (!ScenarioRunner.WORLDS.contains(world)) {
            throw new ArcsimCommand.UserError("--world must be one of " + String.join(", ", ScenarioRunner.WORLDS)
                    + ", got \"" + world + "\"");
        }
    }

    /** The components log at INFO as they run; a command that reports for itself (and a benchmark) wants warnings only. */
    public static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger("dev.arcsim") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** A progress line a second on the wall clock; in virtual time about fifty a run, none closer than 10 s apart. */
    static java.time.Duration progressEvery(Scenario s, String world) {
        if (!world.equals("sim")) {
            return java.time.Duration.ofSeconds(1);
        }
        long seconds = Math.max(10, s.duration().toSeconds() / 50);
        return java.time.Duration.ofSeconds(seconds - seconds % 10);
    }

    static java.time.Duration parseDuration(String text) {
        try {
            return ScenarioFile.parseDuration(text, "--duration");
        } catch (IllegalArgumentException e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
    }

    static Path defaultReportDir(String name) {
        return Path.of("reports", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + name);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the catalogue's scenarios.")
    static final class ListScenarios implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Catalogue.all().forEach(e -> out.printf("%-36s %s%n", e.name(), e.scenario().description()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Read scenario files and report the first mistake in each, with its line; run nothing.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scenario files (YAML).")
        java.util.List<String> files;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int bad = 0;
            for (String f : files) {
                try {
                    Scenario s = ScenarioFile.read(Path.of(f));
                    out.println(f + ": ok (" + s.name() + ", " + s.timeline().size() + " timeline step(s))");
                } catch (ScenarioFile.Invalid e) {
                    err.println(e.getMessage());
                    bad++;
                }
            }
            out.flush();
            err.flush();
            return bad == 0 ? 0 : 2;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Play one scenario and judge it from its history. Exit 0 when it came out as the scenario",
                    "expects for the policy (every invariant held, or broke exactly where ARC is known to break it);",
                    "1 when not; 2 on bad input (a --listener-binary that cannot run included). A run that is not as expected",
                    "prints the command that replays it."})
    static final class Run implements Callable<Integer> {

        /** {@code --arc DIR} checked: a folder of ARC's binaries and CRDs, in the wire world, on a real API server. */
        static dev.arcsim.world.arc.ArcRelease arcRelease(Path dir, String world, String listenerBinary, ClusterOption cluster) {
            if (!world.equals("wire")) {
                throw new ArcsimCommand.UserError("--arc runs ARC's controller and listener as processes on the wall clock: "
                        + "use --world wire (the " + world + " world plays only arcsim's models)");
            }
            if (listenerBinary != null) {
                throw new ArcsimCommand.UserError("--arc runs ARC's own listener from " + dir + ": leave out --listener-binary");
            }
            if ("mock".equals(cluster.cluster)) {
                throw new ArcsimCommand.UserError("--arc needs a real API server (ARC's controller watches, and relies on "
                        + "finalizers, status subresources and garbage collection): leave out --cluster mock");
            }
            try {
                dev.arcsim.world.arc.ArcRelease release = dev.arcsim.world.arc.ArcRelease.check(dir);
                dev.arcsim.world.process.Sandbox.check();
                return release;
            } catch (ListenerBinary.Invalid e) {
                throw new ArcsimCommand.UserError(e.getMessage());
            }
        }

        @Parameters(paramLabel = "NAME|FILE", description = "A catalogue scenario (see 'scenario list') or a scenario file.")
        String name;

        @Option(names = "--policy", description = "The listener's policy (resilient, arc-legacy, arc-current). "
                + "Default: the scenario's own, else resilient.")
        String policy;

        @Option(names = "--seed", description = "Replace the scenario's seed (arrivals, job durations, fault draws).")
        Long seed;

        @Option(names = "--world", description = "wire: the embedded world over loopback HTTP on the wall clock; sim: the "
                + "same components in virtual time (deterministic, fast). Default: ${DEFAULT-VALUE}.", defaultValue = "wire")
        String world;

        @Option(names = "--duration", paramLabel = "DURATION", description = "Run this long instead (e.g. 90s, 30m, "
                + "24h); a workload that arrives over a time keeps its rate for the same share of the run.")
        String duration;

        @Option(names = "--report", paramLabel = "DIR", description = "Where the report goes (summary.json, "
                + "history.jsonl, report.md, report.html). Default: reports/<time>-<name>-<policy>.")
        Path report;

        @Option(names = "--junit", paramLabel = "FILE", description = "Also write the run as JUnit XML for CI: one test "
                + "case; not as expected is a failure naming the broken invariants, their evidence and the replay command.")
        Path junit;

        @Option(names = "--listener-binary", paramLabel = "PATH", description = {"Run this listener program (ARC's "
                + "ghalistener, or 0.8's githubrunnerscalesetlistener) in the listener pods instead of arcsim's, as an OS "
                + "process in a pod sandbox; --policy then names the ARC model whose expectations judge it. Wire world only."})
        String listenerBinary;

        @Option(names = "--arc", paramLabel = "DIR", description = {"Run the whole of ARC in place of arcsim's controller "
                + "and listener: DIR holds ARC's controller (manager), its listener (ghalistener, or 0.8's "
                + "githubrunnerscalesetlistener) and its CRDs (crds/), laid out as shared/peers/arc/<version>/. The controller "
                + "runs under its Helm chart's RBAC on a real API server (arcsim kube install first), its pods played by "
                + "arcsim's kubelet; --policy names the ARC model whose expectations judge it. Wire world only."})
        Path arc;

        @CommandLine.Mixin
        ClusterOption cluster = new ClusterOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (policy != null) {
                checkPolicy(policy);
            }
            checkWorld(world);
            checkJunitFile(junit);
            dev.arcsim.world.arc.ArcRelease release = arc == null ? null : arcRelease(arc, world, listenerBinary, cluster);
            dev.arcsim.world.ClusterKind clusterKind = cluster.kind(world,
                    release == null ? dev.arcsim.world.ClusterKind.MOCK : dev.arcsim.world.ClusterKind.REAL);
            Catalogue.Entry entry = resolve(name);
            Scenario scenario = entry.scenario().withPolicy(policy).forWorld(world);
            if (seed != null) {
                scenario = scenario.withSeed(seed);
            }
            if (duration != null) {
                scenario = scenario.withDuration(parseDuration(duration));
            }
            scenario = scenario.withListenerBinary(listenerBinary);
            if (release == null) {
                checkListenerBinary(scenario, world);
            }
            quietLogs();
            Path dir = report != null ? report : defaultReportDir(scenario.name() + "-" + scenario.policy());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("arcsim scenario %s, policy %s, seed %d, %s world: %s%n", scenario.name(), scenario.policy(),
                    scenario.seed(), world, scenario.description());
            out.flush();
            long wallStart = System.nanoTime();
            RunSummary summary;
            try {
                summary = new ScenarioRunner(line -> {
                    out.println(line);
                    out.flush();
                }, progressEvery(scenario, world), world, clusterKind, release).run(scenario,
                        entry.source() + (duration == null ? "" : " --duration " + duration), entry.text(), dir).summary();
            } catch (ListenerBinary.Invalid e) {
                throw new ArcsimCommand.UserError(e.getMessage());   // it would not run: exit 2
            }
            double wall = (System.nanoTime() - wallStart) / 1e9;
            out.println();
            out.print(summary.table());
            if (world.equals("sim")) {
                // the whole command, world start-up, teardown and report included, against the run proper
                out.printf("  %-25s %.1f s of world time; the whole command took %.1f s: %.0fx real time%n", "speed",
                        summary.durationSeconds(), wall, summary.durationSeconds() / Math.max(wall, 0.001));
            }
            out.println("  report: " + dir.resolve("report.html") + "   summary: " + dir.resolve("summary.json")
                    + "   history: " + dir.resolve("history.jsonl"));
            if (junit != null) {
                dev.arcsim.report.JunitXml.write("arcsim scenario run",
                        java.util.List.of(dev.arcsim.report.JunitXml.Case.of(summary, dir.resolve("report.md").toString(), wall)), junit);
                out.println("  junit: " + junit);
            }
            if (!summary.asExpected()) {
                out.println("  replay: " + summary.replay());
            }
            out.flush();
            return summary.asExpected() ? 0 : 1;
        }
    }
}
