package dev.arcsim.cli;

import dev.arcsim.explore.Explorer;
import dev.arcsim.explore.Generator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code arcsim explore}: a seeded search of random fault timelines in the simulated world. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Search random workloads and fault timelines in the simulated world (real protocol timings) for",
                "runs that break an invariant (no job lost, none run twice, runner bounds, no session leak, recovery",
                "within 5 minutes). Each failure is shrunk and written as a scenario file that replays it.",
                "Exit 0 when nothing broke, 1 when something did (the files name it), 2 on bad input."})
public final class ExploreCommand implements Callable<Integer> {

    @Option(names = "--runs", description = "Scenarios to try. Default: ${DEFAULT-VALUE}.", defaultValue = "100")
    int runs;

    @Option(names = "--seed", description = "The search's seed: the same seed tries the same scenarios. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    long seed;

    @Option(names = "--policy", description = "The listener's policy under test. Default: ${DEFAULT-VALUE}.",
            defaultValue = "resilient")
    String policy;

    @Option(names = "--shrink-runs", description = "The most runs spent shrinking one failure. Default: ${DEFAULT-VALUE}.",
            defaultValue = "60")
    int shrinkRuns;

    @Option(names = "--parallel", description = "Scenarios tried at a time. Default: one per core.")
    Integer parallel;

    @Option(names = "--out", paramLabel = "DIR", description = "Where failures are written. Default: reports/<time>-explore.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ScenarioCommand.checkPolicy(policy);
        if (runs < 1 || runs > 1_000_000) {
            throw new ArcsimCommand.UserError("--runs must be between 1 and 1000000, got " + runs);
        }
        if (shrinkRuns < 0) {
            throw new ArcsimCommand.UserError("--shrink-runs must not be negative, got " + shrinkRuns);
        }
        int threads = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        if (threads < 1 || threads > 16) {
            throw new ArcsimCommand.UserError("--parallel must be between 1 and 16, got " + threads);
        }
        ScenarioCommand.quietLogs();
        Path dir = out != null ? out : ScenarioCommand.defaultReportDir("explore");
        PrintWriter o = spec.commandLine().getOut();
        o.printf("arcsim explore: %d random scenario(s) from seed %d under %s, simulated world; failures go to %s%n",
                runs, seed, policy, dir);
        o.flush();
        long start = System.nanoTime();
        Explorer.Outcome outcome = new Explorer(policy, shrinkRuns, threads, line -> {
            o.println(line);
            o.flush();
        }).explore(seed, runs, dir);
        double wall = (System.nanoTime() - start) / 1e9;
        o.println();
        if (outcome.found().isEmpty()) {
            o.printf("  nothing broke in %d scenario(s) (%.0f s); every invariant held, recovery within %d min%n",
                    outcome.tried(), wall, Generator.RECOVERY_WITHIN.toMinutes());
        } else {
            o.printf("  %d of %d scenario(s) broke an invariant (%.0f s):%n", outcome.found().size(), outcome.tried(), wall);
            for (Explorer.Found f : outcome.found()) {
                o.printf("    %-28s %-30s replay: ./arcsim scenario run %s --world sim%n", f.generated().name(),
                        String.join(", ", f.broken()), f.file());
            }
        }
        o.flush();
        return outcome.found().isEmpty() ? 0 : 1;
    }
}
