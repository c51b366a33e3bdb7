package dev.arcsim.cli;

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
                "scenario expects, 1 when one did not, 2 on bad input."})
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

    @Option(names = "--listener-binary", paramLabel = "PATH", description = "Run this listener program (ARC's "
            + "ghalistener) in every run's listener pods, judged by each policy's model. Wire world only.")
    String listenerBinary;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        policies.forEach(ScenarioCommand::checkPolicy);
        ScenarioCommand.checkWorld(world);
        if (parallel == null) {
            parallel = world.equals("sim") ? Math.min(16, Runtime.getRuntime().availableProcessors()) : 4;
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
        ScenarioCommand.quietLogs();
        Path dir = report != null ? report : ScenarioCommand.defaultReportDir("suite");
        PrintWriter out = spec.commandLine().getOut();
        List<SuiteRunner.Run> runs = SuiteRunner.plan(entries, policies, dir);
        out.printf("arcsim suite: %d scenario(s) x %d polic%s = %d runs, %d at a time, %s world; reports in %s%n",
                entries.size(), policies.size(), policies.size() == 1 ? "y" : "ies", runs.size(), parallel, world, dir);
        out.flush();
        List<SuiteReport.Cell> cells = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        int[] finished = {0};
        try (SuiteRunner runner = new SuiteRunner(parallel, world, listenerBinary, line -> {
            synchronized (out) {
                if (line.startsWith("finished")) {
                    finished[0]++;
                }
                out.printf("  [%d/%d] %s%n", finished[0], runs.size(), line);
                out.flush();
            }
        })) {
            List<CompletableFuture<RunSummary>> futures = runner.start(runs);
            for (int i = 0; i < runs.size(); i++) {
                try {
                    RunSummary s = futures.get(i).get();
                    cells.add(SuiteReport.cell(s, dir.relativize(runs.get(i).dir().resolve("report.md")).toString()));
                    if (!s.asExpected()) {
                        broken.add(s.replay());
                    }
                } catch (ExecutionException e) {
                    out.println("  " + runs.get(i).label() + " could not run: " + e.getCause().getMessage());
                    broken.add("./arcsim scenario run " + runs.get(i).entry().source() + " --policy " + runs.get(i).policy());
                }
            }
        }
        String command = "./arcsim suite --policies " + String.join(",", policies) + " --scenarios '" + scenarios + "'"
                + " --world " + world + (listenerBinary == null ? "" : " --listener-binary " + listenerBinary);
        SuiteReport.write(cells, dir, command);
        out.println();
        out.print(SuiteReport.table(cells));
        out.println("  suite: " + dir.resolve("suite.md") + "   " + dir.resolve("suite.json"));
        broken.forEach(b -> out.println("  not as expected; replay: " + b));
        out.flush();
        return broken.isEmpty() ? 0 : 1;
    }
}
