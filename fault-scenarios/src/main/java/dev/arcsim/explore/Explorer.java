package dev.arcsim.explore;

import dev.arcsim.report.RunSummary;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;
import dev.arcsim.scenario.ScenarioWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The search: random scenarios ({@link Generator}) played in the simulated world under one policy, each checked
 * against every invariant; each failure is shrunk ({@link Shrinker}) while it breaks the same invariants, and written
 * as a scenario file that replays it. One seed decides every scenario tried, so a search replays too.
 */
public final class Explorer {

    /** A failure: the scenario as generated, what it broke, and the shrunk scenario written to {@code file}. */
    public record Found(Scenario generated, Set<String> broken, Scenario shrunk, int shrinkRuns, Path file) {
    }

    /** What a search did. */
    public record Outcome(int tried, List<Found> found) {
    }

    private final String policy;
    private final int shrinkBudget;
    private final int parallel;
    private final Consumer<String> progress;

    /**
     * @param shrinkBudget the most runs spent shrinking one failure
     * @param parallel     scenarios tried at a time
     */
    public Explorer(String policy, int shrinkBudget, int parallel, Consumer<String> progress) {
        this.policy = policy;
        this.shrinkBudget = shrinkBudget;
        this.parallel = Math.max(1, parallel);
        this.progress = progress;
    }

    /** The seed of each scenario a search from {@code seed} tries, in order. */
    public static long[] seeds(long seed, int runs) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[runs];
        for (int i = 0; i < runs; i++) {
            out[i] = r.nextLong() & Long.MAX_VALUE;
        }
        return out;
    }

    /** Tries {@code runs} scenarios; failures are shrunk one by one and written under {@code out}. */
    public Outcome explore(long seed, int runs, Path out) throws InterruptedException {
        long[] seeds = seeds(seed, runs);
        ExecutorService pool = Executors.newFixedThreadPool(parallel, Thread.ofPlatform().daemon().name("explore-", 1).factory());
        List<Found> found = new ArrayList<>();
        try {
            List<Future<RunSummary>> results = new ArrayList<>();
            List<Scenario> scenarios = new ArrayList<>();
            for (long s : seeds) {
                Scenario scenario = Generator.scenario(s, policy);
                scenarios.add(scenario);
                results.add(pool.submit(() -> play(scenario)));
            }
            for (int i = 0; i < runs; i++) {
                RunSummary summary = get(results.get(i));
                Scenario generated = scenarios.get(i);
                Set<String> broken = summary.broken();
                if (broken.isEmpty()) {
                    progress.accept(String.format("  %4d/%d  seed %-20d held      %d step(s), %d jobs", i + 1, runs,
                            generated.seed(), generated.timeline().size(), summary.jobsQueued()));
                    continue;
                }
                progress.accept(String.format("  %4d/%d  seed %-20d BROKE %s; shrinking ...", i + 1, runs,
                        generated.seed(), String.join(", ", broken)));
                found.add(shrinkAndWrite(generated, broken, out));
            }
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(runs, found);
    }

    /** Shrinks a failing scenario while it breaks the same invariants, and writes it under {@code out}. */
    public Found shrinkAndWrite(Scenario generated, Set<String> broken, Path out) {
        Shrinker shrinker = new Shrinker(candidate -> play(candidate).broken().containsAll(broken), shrinkBudget);
        Scenario shrunk = shrinker.shrink(generated);
        Path file = out.resolve(generated.name() + ".yaml");
        String comment = String.join("\n",
                "Found by arcsim explore under policy " + policy + ": breaks " + String.join(", ", broken) + ".",
                "Generated with " + generated.timeline().size() + " timeline step(s) and shrunk in " + shrinker.runs()
                        + " run(s) to " + shrunk.timeline().size() + ".",
                "Replay: ./arcsim scenario run " + file + " --world sim");
        try {
            Files.createDirectories(out);
            Files.writeString(file, ScenarioWriter.write(shrunk, comment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept(String.format("           shrunk to %d step(s), %s in %d run(s): %s", shrunk.timeline().size(),
                jobs(shrunk), shrinker.runs(), file));
        return new Found(generated, broken, shrunk, shrinker.runs(), file);
    }

    private static String jobs(Scenario s) {
        return s.workload().arrivals() instanceof Scenario.Arrivals.Constant c ? c.jobs() + " job(s)" : "jobs";
    }

    /** One run in the simulated world, no report written. */
    static RunSummary play(Scenario s) {
        return ScenarioRunner.simulate(s).summary();
    }

    private static RunSummary get(Future<RunSummary> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a search run failed: " + e.getCause(), e.getCause());
        }
    }
}
