package dev.arcsim.scenario;

import dev.arcsim.report.RunSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Plays scenarios × policies, {@code parallel} runs at a time (each run is its own world on its own ports; a run
 * mostly waits, so a few share two cores), and hands back one future per run in the order asked.
 */
public final class SuiteRunner implements AutoCloseable {

    /**
     * One run of the suite: a scenario under a policy, and where its report goes.
     *
     * @param binary a listener program the run's listener pods run, judged by {@code policy}; null: arcsim's listener
     * @param arc    an ARC release whose controller and listener the run plays in place of arcsim's, on a real API
     *               server (binary is then null); null: arcsim's controller
     */
    public record Run(Catalogue.Entry entry, String policy, String binary, Path dir, dev.arcsim.world.arc.ArcRelease arc) {
        public Run(Catalogue.Entry entry, String policy, String binary, Path dir) {
            this(entry, policy, binary, dir, null);
        }

        public String label() {
            return entry.name() + " / " + policy + (binary == null ? "" : " / " + Path.of(binary).getFileName())
                    + (arc == null ? "" : " / ARC's controller and listener from " + arc.dir().getFileName());
        }
    }

    private final ExecutorService pool;
    private final Consumer<String> progress;
    private final String world;
    private final dev.arcsim.world.ClusterKind cluster;

    public SuiteRunner(int parallel, Consumer<String> progress) {
        this(parallel, "wire", progress);
    }

    /** @param world {@code wire} or {@code sim}, as {@link ScenarioRunner} takes it */
    public SuiteRunner(int parallel, String world, Consumer<String> progress) {
        this(parallel, world, dev.arcsim.world.ClusterKind.MOCK, progress);
    }

    /** @param cluster the API server each wire run starts for itself */
    public SuiteRunner(int parallel, String world, dev.arcsim.world.ClusterKind cluster, Consumer<String> progress) {
        this.cluster = cluster;
        this.world = world;
        this.pool = Executors.newFixedThreadPool(Math.max(1, parallel), Thread.ofPlatform().daemon().name("suite-", 1).factory());
        this.progress = progress;
    }

    /** The runs of {@code entries} under each policy, reports under {@code root/<scenario>/<policy>}. */
    public static List<Run> plan(List<Catalogue.Entry> entries, List<String> policies, Path root) {
        return plan(entries, policies, null, root);
    }

    /** The same, every run's listener pods running {@code binary} (null: arcsim's listener). */
    public static List<Run> plan(List<Catalogue.Entry> entries, List<String> policies, String binary, Path root) {
        List<Run> runs = new ArrayList<>();
        for (Catalogue.Entry e : entries) {
            for (String p : policies) {
                runs.add(new Run(e, p, binary, root.resolve(e.name()).resolve(p)));
            }
        }
        return runs;
    }

    /**
     * Fidelity pairs: each scenario under each model, once with arcsim's listener playing the model and once with the
     * model's binary, reports under {@code root/<scenario>/<model>/model} and {@code .../binary}. Runs come model then
     * binary, pair by pair.
     *
     * @param binaries model name to the binary it models, in the order the table should show them; a folder is an ARC
     *                 release, whose listener is the binary and which adds a third run, {@code .../full-stack}: ARC's
     *                 controller and listener together on a real API server
     */
    public static List<Run> planFidelity(List<Catalogue.Entry> entries, java.util.SequencedMap<String, String> binaries, Path root) {
        // a release is checked once (its listener's sha256 read once), not once per scenario
        java.util.Map<String, dev.arcsim.world.arc.ArcRelease> releases = new java.util.HashMap<>();
        binaries.forEach((model, binary) -> {
            if (java.nio.file.Files.isDirectory(Path.of(binary))) {
                releases.put(model, dev.arcsim.world.arc.ArcRelease.check(Path.of(binary)));
            }
        });
        List<Run> runs = new ArrayList<>();
        for (Catalogue.Entry e : entries) {
            binaries.forEach((model, binary) -> {
                Path dir = root.resolve(e.name()).resolve(model);
                dev.arcsim.world.arc.ArcRelease release = releases.get(model);
                runs.add(new Run(e, model, null, dir.resolve("model")));
                runs.add(new Run(e, model, release != null ? release.listener().path().toString() : binary, dir.resolve("binary")));
                if (release != null) {
                    runs.add(new Run(e, model, null, dir.resolve("full-stack"), release));
                }
            });
        }
        return runs;
    }

    /** How long a finished run took on the wall clock (CI shows it; a simulated run's world time is far longer). */
    public double wallSeconds(Run run) {
        return wallSeconds.getOrDefault(run, 0.0);
    }

    private final java.util.Map<Run, Double> wallSeconds = new java.util.concurrent.ConcurrentHashMap<>();

    public List<CompletableFuture<RunSummary>> start(List<Run> runs) {
        List<CompletableFuture<RunSummary>> out = new ArrayList<>();
        for (Run run : runs) {
            out.add(CompletableFuture.supplyAsync(() -> {
                progress.accept("started  " + run.label());
                long wallStart = System.nanoTime();
                try {
                    Scenario s = run.entry().scenario().withPolicy(run.policy()).withListenerBinary(run.binary());
                    ScenarioRunner runner = run.arc() == null
                            ? new ScenarioRunner(line -> { }, java.time.Duration.ofSeconds(1), world, cluster)
                            : new ScenarioRunner(line -> { }, java.time.Duration.ofSeconds(1), world,
                            dev.arcsim.world.ClusterKind.REAL, run.arc());
                    RunSummary summary = runner.run(s, run.entry().source(), run.entry().text(), run.dir()).summary();
                    wallSeconds.put(run, (System.nanoTime() - wallStart) / 1e9);
                    progress.accept(String.format("finished %-70s %-13s recovery %s", run.label(), summary.verdict(),
                            summary.recoverySeconds() == null ? "-" : String.format("%.1f s", summary.recoverySeconds())));
                    return summary;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(run.label() + " was interrupted", e);
                } catch (Exception e) {
                    throw new IllegalStateException(run.label() + " failed to run: " + e, e);
                }
            }, pool));
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
