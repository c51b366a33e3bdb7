package dev.arcsim.bench;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code arcsim bench}: runs the JMH benchmarks and writes JMH's JSON ({@code bench.json}) with {@code bench.md} and
 * {@code bench.png} beside it; {@code --compare} sets the run against an earlier one. Any JMH option works on the
 * jar itself: {@code java -jar benchmarks/target/benchmarks.jar -h}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmarks: recovery per retry policy and fault and the thundering herd of 100 listeners",
                "in the simulated world (ARC's two behaviours as the baseline), the simulated world's speed, and",
                "throughput on the wall clock (in process, over loopback HTTP, fake-github with 1,000 parked polls).",
                "Writes bench.json (JMH), bench.md and bench.png. Exit 0; 1 when --compare found a regression; 2 on",
                "bad input."})
public final class BenchCommand implements Callable<Integer> {

    /** What --quick runs: the seed incidents and a partition, under ARC's two behaviours and resilient. */
    static final List<String> QUICK_POLICIES = List.of("arc-legacy", "arc-current", "resilient");
    static final List<String> QUICK_FAULTS = List.of("sigkill-ttl-5m", "rule-409-1m", "partition-1m");

    @Option(names = "--quick", description = "Three policies (x three faults), short iterations for the simulated "
            + "benchmarks, enough warm-up for the wall-clock ones: a few minutes. Without it, every policy and fault "
            + "(about 25 minutes on 2 cores).")
    boolean quick;

    @Option(names = "--report", paramLabel = "DIR", description = "Where the report goes. Default: reports/<time>-bench.")
    Path report;

    @Option(names = "--compare", paramLabel = "BENCH_JSON", description = "An earlier bench.json (e.g. "
            + "reports/baseline/bench.json): print each figure's change, flag regressions beyond the noise.")
    Path compare;

    @Option(names = "--include", paramLabel = "REGEX", description = "Only benchmarks matching (JMH's -i). Default: all.")
    String include;

    @Option(names = "--soak", description = "Instead of the benchmarks: the soak. A simulated week (--soak-days) of "
            + "fake-github, the listener and runners at 20 jobs a minute, then an hour on the wall clock (--soak-minutes) "
            + "of the embedded default loop, each sampled for heap, threads and file descriptors. Writes soak.json and "
            + "soak.md, and puts the figures into the folder's bench.md.")
    boolean soak;

    @Option(names = "--soak-days", paramLabel = "DAYS", description = "Simulated days of the soak (0: none; with "
            + "--soak-minutes 0, only rewrite soak.md and bench.md from the folder's soak.json). Default: ${DEFAULT-VALUE}.",
            defaultValue = "7")
    double soakDays;

    @Option(names = "--soak-minutes", paramLabel = "MINUTES", description = "Wall-clock minutes of the soak (0: none; "
            + "at least 2 otherwise). Needs fault-scenarios/target/arcsim.jar. Default: ${DEFAULT-VALUE}.", defaultValue = "60")
    long soakMinutes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The benchmarks in simulated time, and those on the wall clock. */
    static final String SIMULATED = "(Recovery|Herd|SimSpeed)Benchmark";
    static final String WALL_CLOCK = "(ListenerThroughput|WireThroughput|FakeRequestRate)Benchmark";

    /** Options for the benchmarks matching {@code group} and the user's --include, writing JMH's JSON to {@code json}. */
    private ChainedOptionsBuilder options(Path json, String group) {
        String user = include != null ? include : ".*";
        return new OptionsBuilder()
                .include("^(?=.*(?:" + user + "))dev\\.arcsim\\.bench\\." + group + "\\..*")
                .resultFormat(ResultFormatType.JSON).result(json.toString())
                .shouldFailOnError(true);
    }

    /** Runs what the options select; false when they select nothing. */
    private static boolean run(ChainedOptionsBuilder options) throws RunnerException {
        try {
            new Runner(options.build()).run();
            return true;
        } catch (NoBenchmarksException e) {
            return false;
        }
    }

    /** JMH's JSON of the passes that ran, as one list (a pass that matched nothing wrote no file). */
    private static void merge(Path into, Path... parts) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode all = json.createArrayNode();
        for (Path part : parts) {
            if (Files.exists(part)) {
                all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) json.readTree(part.toFile()));
                Files.delete(part);
            }
        }
        json.writerWithDefaultPrettyPrinter().writeValue(into.toFile(), all);
    }

    private int soak(Path dir) throws Exception {
        boolean rewriteOnly = soakDays == 0 && soakMinutes == 0;
        if (soakDays < 0 || soakMinutes < 0 || (soakMinutes > 0 && soakMinutes < 2)
                || (rewriteOnly && !Files.exists(dir.resolve("soak.json")))) {
            throw new IllegalArgumentException("--soak-days must be 0 or more and --soak-minutes 0 or at least 2; both 0 "
                    + "rewrites soak.md and bench.md from the folder's soak.json, which " + dir + " does not have");
        }
        Path jar = Path.of("fault-scenarios", "target", "arcsim.jar");
        if (soakMinutes > 0 && !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: build it first (mvn -pl fault-scenarios -am package "
                    + "-DskipTests), or run with --soak-minutes 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        java.util.List<Soak.Run> runs = new java.util.ArrayList<>();
        if (soakDays > 0) {
            out.printf(java.util.Locale.ROOT, "arcsim bench --soak: %.1f simulated days%n", soakDays);
            runs.add(Soak.simulated(soakDays, Duration.ofHours(soakDays >= 2 ? 6 : 1), out));
        }
        if (soakMinutes > 0) {
            out.printf("arcsim bench --soak: %d minutes on the wall clock (log: %s)%n", soakMinutes, dir.resolve("soak-run.log"));
            out.flush();
            runs.add(Soak.wallClock(jar, Duration.ofMinutes(soakMinutes), Duration.ofMinutes(soakMinutes >= 20 ? 2 : 1),
                    dir, out));
        }
        // a soak of one kind only (--soak-days 0, or --soak-minutes 0) keeps the other kind's runs already in the folder
        Path soakJson = dir.resolve("soak.json");
        if (Files.exists(soakJson)) {
            java.util.Set<String> fresh = new java.util.HashSet<>();
            runs.forEach(r -> fresh.add(r.name()));
            java.util.List<Soak.Run> kept = new java.util.ArrayList<>(Soak.read(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(soakJson.toFile())).stream().filter(r -> !fresh.contains(r.name())).toList());
            kept.addAll(runs);
            kept.sort(java.util.Comparator.comparing(r -> r.name().startsWith("simulated") ? 0 : 1));
            runs = kept;
        }
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(soakJson.toFile(), Soak.json(runs));
        String section = Soak.markdown(runs);
        Files.writeString(dir.resolve("soak.md"), section);
        Path bench = dir.resolve("bench.md");
        if (Files.exists(bench)) {
            Files.writeString(bench, Soak.withSection(Files.readString(bench), section));
        }
        out.print(section);
        out.println("  soak: " + dir.resolve("soak.json") + (Files.exists(bench) ? ", and its section in " + bench : ""));
        out.flush();
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("arcsim bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (compare != null && !Files.isRegularFile(compare)) {
            throw new IllegalArgumentException("--compare " + compare + ": no such file (a bench.json from an earlier run)");
        }
        Path dir = report != null ? report
                : Path.of("reports", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-bench");
        Files.createDirectories(dir);
        if (soak) {
            return soak(dir);
        }
        Path json = dir.resolve("bench.json");
        PrintWriter out = spec.commandLine().getOut();
        out.printf("arcsim bench%s: JMH results to %s%n", quick ? " --quick" : "", json);
        out.flush();
        if (quick) {
            // Two passes: the simulated benchmarks' counters are exact per seed, so short iterations do; the wall-clock
            // throughputs need about 8 s of warm-up before the JIT has settled.
            Path sim = dir.resolve("bench-sim.json");
            Path wall = dir.resolve("bench-wall.json");
            boolean ran = run(options(sim, SIMULATED).param("policy", QUICK_POLICIES.toArray(String[]::new))
                    .param("fault", QUICK_FAULTS.toArray(String[]::new))
                    .warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(2)));
            ran |= run(options(wall, WALL_CLOCK).warmupIterations(4).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(8).measurementTime(TimeValue.seconds(1)));
            if (!ran) {
                throw new IllegalArgumentException("no benchmark matches --include " + include);
            }
            merge(json, sim, wall);
        } else if (!run(options(json, ".*"))) {
            throw new IllegalArgumentException("no benchmark matches --include " + include);
        }
        BenchReport bench = BenchReport.read(json);
        bench.write(dir, quick);
        out.println();
        out.print(bench.summary());
        out.println("  report: " + dir.resolve("bench.md")
                + (Files.exists(dir.resolve("bench.png")) ? "   chart: " + dir.resolve("bench.png") : "") + "   JMH: " + json);
        int exit = 0;
        if (compare != null) {
            BenchReport.Comparison c = bench.compareTo(BenchReport.read(compare));
            out.println();
            out.print(c.text());
            exit = c.regressions() > 0 ? 1 : 0;
        }
        out.flush();
        return exit;
    }
}
