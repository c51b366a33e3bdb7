package dev.arcsim.cli;

import dev.arcsim.listener.policy.PolicyFactory;
import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;
import dev.arcsim.world.RunSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code arcsim scenario}: fault scenarios on the embedded world. */
@Command(name = "scenario", mixinStandardHelpOptions = true, description = "Fault scenarios, played on the embedded world.",
        subcommands = {ScenarioCommand.ListScenarios.class, ScenarioCommand.Run.class})
public final class ScenarioCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the scenarios.")
    static final class ListScenarios implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Catalogue.all("resilient").values().forEach(s -> out.printf("%-40s %s%n", s.name(), s.description()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Play one scenario and judge it from its history. Exit 0 when every invariant held, or broke",
                    "exactly where the scenario expects this policy to break it (ARC's known failures); 1 otherwise."})
    static final class Run implements Callable<Integer> {

        @Parameters(paramLabel = "NAME", description = "A scenario name (see 'scenario list').")
        String name;

        @Option(names = "--policy", description = "The listener's policy. Default: ${DEFAULT-VALUE}.", defaultValue = "resilient")
        String policy;

        @Option(names = "--report", paramLabel = "DIR", description = "Where summary.json and history.jsonl go. "
                + "Default: reports/<time>-<name>.")
        Path report;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try {
                PolicyFactory.create(policy, Map.of());
            } catch (RuntimeException e) {
                throw new ArcsimCommand.UserError(e.getMessage());
            }
            Map<String, Scenario> all = Catalogue.all(policy);
            Scenario scenario = all.get(name);
            if (scenario == null) {
                throw new ArcsimCommand.UserError("no scenario named \"" + name + "\"; there are: " + String.join(", ", all.keySet()));
            }
            if (org.slf4j.LoggerFactory.getLogger("dev.arcsim") instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.WARN);
            }
            Path dir = report != null ? report : Path.of("reports",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + name + "-" + policy);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("arcsim scenario %s, policy %s, seed %d: %s%n", name, policy, scenario.seed(), scenario.description());
            out.flush();
            RunSummary summary = new ScenarioRunner(line -> {
                out.println(line);
                out.flush();
            }).run(scenario, dir).summary();
            Set<String> failed = new TreeSet<>();
            summary.invariants().forEach((inv, v) -> {
                if (!v.ok()) {
                    failed.add(inv);
                }
            });
            Set<String> expected = new TreeSet<>(scenario.expectedFailures());
            out.println();
            out.print(summary.table());
            boolean asExpected = failed.equals(expected);
            out.println("  expected to break        " + (expected.isEmpty() ? "nothing" : String.join(", ", expected)));
            out.println("  outcome                  " + (asExpected ? "as expected" : "NOT as expected (broke: "
                    + (failed.isEmpty() ? "nothing" : String.join(", ", failed)) + ")"));
            out.println("  summary: " + dir.resolve("summary.json") + "   history: " + dir.resolve("history.jsonl"));
            if (!asExpected) {
                out.println("  replay: ./arcsim scenario run " + name + " --policy " + policy);
            }
            out.flush();
            return asExpected ? 0 : 1;
        }
    }
}
