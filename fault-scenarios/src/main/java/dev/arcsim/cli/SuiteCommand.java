package dev.arcsim.cli;

import dev.arcsim.report.FidelityReport;
import dev.arcsim.report.JunitXml;
import dev.arcsim.report.RunSummary;
import dev.arcsim.report.SuiteReport;
import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.SuiteRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** {@code arcsim suite}: the catalogue × policies, with a table and reports. */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"Play the catalogue's scenarios under each policy and print the scenario x policy table.",
                "Writes suite.md, suite.json and one report per run under DIR. Exit 0 when every run came out as its",
                "scenario expects, 1 when one did not, 2 on bad input. With --fidelity: fidelity.md and fidelity.json,",
                "exit 0 when each model agrees with its binary in every row, 1 when not."})
public final class SuiteCommand implements Callable<Integer> {

    @Option(names = "--policies", split = ",", description = "Policies to run. Default: ${DEFAULT-VALUE}.",
            defaultValue = "resilient,arc-legacy,arc-current")
    List<String> policies;

    @Option(names = "--scenarios", paramLabel = "GLOB", description = "Which scenarios, by name (a glob such as '*listener*'). "
            + "Default: all.", defaultValue = "*")
    String scenarios;

    @Option(names = "--parallel", description = "Runs at a time. Default: one per core in sim (a run computes), "
            + "4 on the wire (a run mostly waits).")
    Integer parallel;

    @Option(names = "--world", description = "sim (virtual time, real protocol timings) or wire (loopback HTTP, wall "
            + "clock, each file's compressed wire timings). Default: ${DEFAULT-VALUE}.", defaultValue = "sim")
    String world;

    @Option(names = "--report", paramLabel = "DIR", description = "Default: reports/<time>-suite.")
    Path report;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the runs as JUnit XML for CI: one test case "
            + "per scenario x policy (per row with --fidelity); a run not as expected is a failure that names the broken "
            + "invariants, their evidence and the replay command.")
    Path junit;

    @Option(names = "--listener-binary", paramLabel = "PATH", description = "Run this listener program (ARC's "
            + "ghalistener) in every run's listener pods, judged by each policy's model. Wire world only.")
    String listenerBinary;

    @Option(names = "--fidelity", paramLabel = "MODEL=PATH", description = "Hold a model of ARC to ARC's binary: play "
            + "each scenario with arcsim's listener under MODEL and with the listener program PATH, both judged by MODEL, "
            + "and write fidelity.md and fidelity.json (do the two agree?). Repeat for more models, e.g. "
            + "--fidelity arc-current=HEAD/ghalistener --fidelity arc-legacy=0.13/ghalistener. A PATH that is an ARC release's "
            + "folder (as for scenario run --arc) adds a third run, the full stack: ARC's own controller and listener on a "
            + "real API server. Wire world only; instead of --policies.")
    java.util.Map<String, String> fidelity;

    @CommandLine.Mixin
    ClusterOption cluster = new ClusterOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private dev.arcsim.world.ClusterKind clusterKind;

    @Override
    public Integer call() throws Exception {
        policies.forEach(ScenarioCommand::checkPolicy);
        ScenarioCommand.checkWorld(world);
        ScenarioCommand.checkJunitFile(junit);
        clusterKind = cluster.kind(world);
        if (parallel == null) {
            // a real control plane per run takes about a core while it starts and 600 MB: two at a time on real
            parallel = world.equals("sim") ? Math.min(16, Runtime.getRuntime().availableProcessors())
                    : clusterKind == dev.arcsim.world.ClusterKind.REAL ? 2 : 4;
        }
        if (parallel < 1 || parallel > 16) {
            throw new ArcsimCommand.UserError("--parallel must be between 1 and 16, got " + parallel);
        }
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + scenarios);
        List<Catalogue.Entry> entries = Catalogue.all().stream().filter(e -> glob.matches(Path.of(e.name()))).toList();
        if (entries.isEmpty()) {
            throw new ArcsimCommand.UserError("--scenarios " + scenarios + " matches no scenario; the catalogue has: "
                    + String.join(", ", Catalogue.NAMES));
        }
        if (listenerBinary != null) {
            ScenarioCommand.checkListenerBinary(entries.get(0).scenario().withListenerBinary(listenerBinary), world);
        }
        if (fidelity != null) {
            checkFidelity(entries.get(0));
        }
        ScenarioCommand.quietLogs();
        Path dir = report != null ? report : ScenarioCommand.defaultReportDir(fidelity != null ? "fidelity" : "suite");
        PrintWriter out = spec.commandLine().getOut();
        if (fidelity != null) {
            return fidelity(entries, dir, out);
        }
        List<SuiteRunner.Run> runs = SuiteRunner.plan(entries, policies, listenerBinary, dir);
        out.printf("arcsim suite: %d scenario(s) x %d polic%s = %d runs, %d at a time, %s world%s; reports in %s%n",
                entries.size(), policies.size(), policies.size() == 1 ? "y" : "ies", runs.size(), parallel, world,
                clusterKind == dev.arcsim.world.ClusterKind.REAL ? " on real API servers" : "", dir);
        out.flush();
        List<SuiteReport.Cell> cells = new ArrayList<>();
        List<JunitXml.Case> cases = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        try (SuiteRunner runner = new SuiteRunner(parallel, world, clusterKind, progress(out, runs.size()))) {
            List<CompletableFuture<RunSummary>> futures = runner.start(runs);
            for (int i = 0; i < runs.size(); i++) {
                try {
                    RunSummary s = futures.get(i).get();
                    String runReport = dir.relativize(runs.get(i).dir().resolve("report.md")).toString();
                    cells.add(SuiteReport.cell(s, runReport));
                    cases.add(JunitXml.Case.of(s, runReport, runner.wallSeconds(runs.get(i))));
                    if (!s.asExpected()) {
                        broken.add(s.replay());
                    }
                } catch (ExecutionException e) {
                    out.println("  " + runs.get(i).label() + " could not run: " + e.getCause().getMessage());
                    String replay = "./arcsim scenario run " + runs.get(i).entry().source() + " --policy " + runs.get(i).policy();
                    broken.add(replay);
                    cases.add(JunitXml.Case.error(runs.get(i).entry().name(), runs.get(i).policy(),
                            String.valueOf(e.getCause().getMessage()), replay));
                }
            }
        }
        String command = "./arcsim suite --policies " + String.join(",", policies) + " --scenarios '" + scenarios + "'"
                + " --world " + world + clusterKind.flag()
                + (listenerBinary == null ? "" : " --listener-binary " + listenerBinary);
        SuiteReport.write(cells, dir, command);
        out.println();
        out.print(SuiteReport.table(cells));
        out.println("  suite: " + dir.resolve("suite.md") + "   " + dir.resolve("suite.json"));
        writeJunit("arcsim suite", cases, out);
        broken.forEach(b -> out.println("  not as expected; replay: " + b));
        out.flush();
        return broken.isEmpty() ? 0 : 1;
    }

    private void writeJunit(String suite, List<JunitXml.Case> cases, PrintWriter out) throws java.io.IOException {
        if (junit != null) {
            JunitXml.write(suite, cases, junit);
            out.println("  junit: " + junit);
        }
    }

    private static java.util.function.Consumer<String> progress(PrintWriter out, int runs) {
        int[] finished = {0};
        return line -> {
            synchronized (out) {
                if (line.startsWith("finished")) {
                    finished[0]++;
                }
                out.printf("  [%d/%d] %s%n", finished[0], runs, line);
                out.flush();
            }
        };
    }

    private void checkFidelity(Catalogue.Entry any) {
        if (spec.commandLine().getParseResult().hasMatchedOption("--policies")) {
            throw new ArcsimCommand.UserError("--fidelity names the policies itself (each MODEL); leave out --policies");
        }
        if (listenerBinary != null) {
            throw new ArcsimCommand.UserError("--fidelity names the binaries itself (each PATH); leave out --listener-binary");
        }
        if (!world.equals("wire")) {
            throw new ArcsimCommand.UserError("--fidelity needs --world wire: a listener binary runs on the wall clock, "
                    + "got --world " + world);
        }
        fidelity.forEach((model, binary) -> {
            if (!dev.arcsim.listener.policy.ListenerPolicy.modelsArc(model)) {
                throw new ArcsimCommand.UserError("--fidelity " + model + "=" + binary + ": MODEL must be one of ARC's "
                        + "models (" + String.join(", ", dev.arcsim.listener.policy.ListenerPolicy.ARC_MODELS) + "), got \""
                        + model + "\"");
            }
            if (java.nio.file.Files.isDirectory(Path.of(binary))) {
                // an ARC release: its listener under arcsim's controller, and ARC's controller with it on a real API server
                ScenarioCommand.Run.arcRelease(Path.of(binary), world, null, new ClusterOption());
                KubeCommand.realTier();
            } else {
                ScenarioCommand.checkListenerBinary(any.scenario().withListenerBinary(binary), world);
            }
        });
    }

    private int fidelity(List<Catalogue.Entry> entries, Path dir, PrintWriter out) throws Exception {
        java.util.SequencedMap<String, String> binaries = new java.util.LinkedHashMap<>(fidelity);
        List<SuiteRunner.Run> runs = SuiteRunner.planFidelity(entries, binaries, dir);
        out.printf("arcsim suite --fidelity: %d scenario(s) x %d model(s), each with arcsim's listener and with the binary "
                + "(and the full stack for a release) = %d "
                + "runs, %d at a time, wire world; reports in %s%n", entries.size(), binaries.size(), runs.size(), parallel, dir);
        out.flush();
        List<FidelityReport.Row> rows = new ArrayList<>();
        try (SuiteRunner runner = new SuiteRunner(parallel, world, clusterKind, progress(out, runs.size()))) {
            List<CompletableFuture<RunSummary>> futures = runner.start(runs);
            for (int i = 0; i < runs.size(); ) {
                SuiteRunner.Run modelRun = runs.get(i);
                SuiteRunner.Run binaryRun = runs.get(i + 1);
                FidelityReport.Side model = side(futures.get(i), modelRun, dir);
                FidelityReport.Side binary = side(futures.get(i + 1), binaryRun, dir);
                String sha = binary.error() == null ? futures.get(i + 1).get().listener().sha256() : null;
                boolean fullStack = i + 2 < runs.size() && runs.get(i + 2).arc() != null;
                FidelityReport.Side full = fullStack ? side(futures.get(i + 2), runs.get(i + 2), dir) : null;
                rows.add(FidelityReport.Row.of(modelRun.entry().name(), modelRun.policy(),
                        fullStack ? runs.get(i + 2).arc().dir().toString() : binaryRun.binary(), sha, model, binary, full));
                i += fullStack ? 3 : 2;
            }
        }
        String command = "./arcsim suite --world wire --scenarios '" + scenarios + "'" + String.join("", binaries.entrySet()
                .stream().map(e -> " --fidelity " + e.getKey() + "=" + e.getValue()).toList());
        FidelityReport.write(rows, dir, command);
        out.println();
        out.print(FidelityReport.table(rows));
        out.println("  fidelity: " + dir.resolve("fidelity.md") + "   " + dir.resolve("fidelity.json"));
        writeJunit("arcsim suite --fidelity", rows.stream().map(JunitXml.Case::of).toList(), out);
        long disagree = rows.stream().filter(r -> !r.agree()).count();
        out.println(disagree == 0 ? "  model and binary agree in every row"
                : "  " + disagree + " of " + rows.size() + " row(s) disagree: the model is not what its binary does there");
        out.flush();
        return disagree == 0 ? 0 : 1;
    }

    private static FidelityReport.Side side(CompletableFuture<RunSummary> future, SuiteRunner.Run run, Path dir)
            throws InterruptedException {
        try {
            return FidelityReport.Side.of(future.get(), dir.relativize(run.dir().resolve("report.md")).toString());
        } catch (ExecutionException e) {
            return FidelityReport.Side.failed(e.getCause().getMessage());
        }
    }
}
