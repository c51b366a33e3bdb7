package dev.arcsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.controller.kubelet.SimulatedRunner;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.scaling.RunnerSets;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.sim.InProcessTransport;
import dev.arcsim.sim.VirtualTime;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Does anything grow with time? Two long runs, sampled as they go: heap after a full GC, threads and open file
 * descriptors, plus what the fake holds ({@link FakeGitHub#held()}).
 *
 * <ul>
 *   <li><b>A simulated week</b> at 20 jobs a minute: fake-github, the reference listener (its real loop, resilient) and
 *   ephemeral runners that take and complete each job, all in process on virtual time. No scenario history is kept,
 *   so what is measured is the components.</li>
 *   <li><b>An hour on the wall clock</b> of the embedded default loop (fake-github over loopback HTTP, the embedded API
 *   server, the reference controller, the listener, simulated runners) as {@code arcsim scenario run} plays it, in a
 *   child JVM sampled from outside. That run keeps its history in memory for the checkers by design; the report gives
 *   the history's size next to the heap, so growth can be told apart from it.</li>
 * </ul>
 */
final class Soak {

    static final double JOBS_PER_MINUTE = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET = "soak-set";
    private static final String URL = "http://" + InProcessTransport.HOST + "/acme";

    record Sample(double hours, long heapBytes, int threads, int fds, long jobsCompleted, FakeGitHub.Held held) {
    }

    record Run(String name, String what, List<Sample> samples, long historyBytes, String outcome) {
        Sample first() {
            return samples.get(0);
        }

        Sample last() {
            return samples.get(samples.size() - 1);
        }

        /** The largest of the samples' heaps, less the first's: the growth the run showed. */
        long heapGrowth() {
            return samples.stream().mapToLong(Sample::heapBytes).max().orElse(0) - first().heapBytes();
        }

        /**
         * The growth over the run's second half: the largest heap of the samples after the middle one, less the middle
         * one's. The first half includes filling what is bounded (the journal, the retained jobs, the JIT's caches).
         */
        long heapGrowthSecondHalf() {
            int mid = samples.size() / 2;
            return samples.subList(mid, samples.size()).stream().mapToLong(Sample::heapBytes).max().orElse(0)
                    - samples.get(mid).heapBytes();
        }
    }

    private Soak() {
    }

    // ------------------------------------------------------------------ the simulated week

    /** Plays {@code days} simulated days and samples every {@code every} of simulated time. */
    static Run simulated(double days, Duration every, PrintWriter progress) throws InterruptedException {
        VirtualTime time = new VirtualTime(Instant.parse("2026-01-05T00:00:00Z"));
        FakeGitHub fake = new FakeGitHub(time, FakeGitHub.Options.defaults().withSeed(7));
        InProcessTransport transport = new InProcessTransport(fake, time);
        long[] id = {0};
        ActionsClient[] admin = {null};
        time.spawn("admin", () -> {
            try {
                admin[0] = Rigs.client(transport, time, URL, Duration.ofSeconds(30), "arcsim-soak");
                id[0] = admin[0].createScaleSet(SET, 1, List.of()).path("id").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        time.runFor(Duration.ofSeconds(1));
        if (id[0] <= 0) {
            throw new IllegalStateException("the soak's scale set was not created");
        }
        RunnerPool pool = new RunnerPool(time, transport, admin[0], id[0]);
        ListenerConfig config = Rigs.listenerConfig(URL, SET, id[0]);
        Listener listener = ListenerApp.build(config, new ListenerApp.Wiring(transport, null, pool, new InMemorySessionStore(),
                time, ListenerEvents.none(), "soak-listener", new SplittableRandom(7)), new Metrics());
        time.spawn("listener", listener::run);
        Duration gap = Duration.ofMillis(Math.round(60_000 / JOBS_PER_MINUTE));
        Instant end = time.now().plus(Duration.ofSeconds(Math.round(days * 86_400)));
        time.spawn("arrivals", () -> {
            try {
                while (time.now().isBefore(end)) {
                    fake.state().enqueueJobs(new ServiceState.JobRequest(SET, null, "app", "ci.yml", "build", "push", 60), 1);
                    time.sleep(gap);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Instant start = time.now();
        List<Sample> samples = new ArrayList<>();
        samples.add(sampleHere(0, fake));
        while (time.now().isBefore(end)) {
            time.runFor(every);
            double hours = Duration.between(start, time.now()).toSeconds() / 3600.0;
            Sample s = sampleHere(hours, fake);
            samples.add(s);
            progress.printf(Locale.ROOT, "  soak, simulated: %.0f h, %,d jobs completed, heap %.1f MiB, %d threads%n",
                    hours, s.jobsCompleted(), s.heapBytes() / 1048576.0, s.threads());
            progress.flush();
        }
        time.runFor(Duration.ofMinutes(10));   // the last jobs finish
        long queued = Math.round(days * 1440 * JOBS_PER_MINUTE);
        long completed = fake.state().counts().jobs(JobState.COMPLETED);
        time.interruptAll("");
        return new Run("simulated week", String.format(Locale.ROOT,
                "%s simulated days at %.0f jobs a minute: fake-github, the reference listener (resilient) and ephemeral "
                        + "runners in process on virtual time", java.math.BigDecimal.valueOf(days).stripTrailingZeros().toPlainString(),
                JOBS_PER_MINUTE),
                samples, 0, completed + " of " + queued + " jobs completed");
    }

    /** Runners as the listener asks for them: each registers, takes one job, completes it and leaves. */
    private static final class RunnerPool implements RunnerSets {
        private final VirtualTime time;
        private final InProcessTransport transport;
        private final ActionsClient admin;
        private final long scaleSetId;
        private int live;
        private long made;

        RunnerPool(VirtualTime time, InProcessTransport transport, ActionsClient admin, long scaleSetId) {
            this.time = time;
            this.transport = transport;
            this.admin = admin;
            this.scaleSetId = scaleSetId;
        }

        @Override
        public void patchReplicas(String namespace, String name, int replicas, int patchId) {
            int more;
            synchronized (this) {
                more = Math.max(0, replicas - live);
                live += more;
            }
            for (int i = 0; i < more; i++) {
                String runner;
                synchronized (this) {
                    runner = "soak-runner-" + (++made);
                }
                time.spawn(runner, () -> {
                    try {
                        ActionsClient.JitConfig jit = admin.generateJitConfig(scaleSetId, runner, "_work");
                        new SimulatedRunner(transport, time, jit.encodedJitConfig()).run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        // a runner that could not register is one fewer; the listener asks again
                    } finally {
                        synchronized (this) {
                            live--;
                        }
                    }
                });
            }
        }

        @Override
        public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) {
            return true;
        }
    }

    private static Sample sampleHere(double hours, FakeGitHub fake) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return new Sample(hours, heap, threads, fds(ProcessHandle.current().pid()),
                fake.state().counts().jobs(JobState.COMPLETED), fake.held());
    }

    // ------------------------------------------------------------------ the hour on the wall clock

    /** The scenario the wall-clock soak plays: real timings, 20 jobs a minute, no faults. */
    static String wallScenario(Duration length) {
        long minutes = Math.max(2, length.toMinutes());
        return """
                # soak: the embedded default loop at 20 jobs a minute on the wall clock, no faults (arcsim bench --soak)
                name: soak
                description: 20 jobs a minute for %d minutes, real timings
                seed: 11
                duration: %dm
                system: {minRunners: 0, maxRunners: 60}
                workload:
                  arrivals: {process: poisson, perSecond: 0.3333, over: %dm}
                  jobDuration: {distribution: lognormal, median: 30s, sigma: 0.5, max: 3m}
                expect:
                  recoveryWithin: 60s
                """.formatted(minutes, minutes, minutes - 1);
    }

    /**
     * Runs {@code arcsim scenario run} of {@link #wallScenario} in a child JVM and samples it every {@code every}.
     * The child is stopped with this run, also when it fails.
     */
    static Run wallClock(Path jar, Duration length, Duration every, Path dir, PrintWriter progress)
            throws IOException, InterruptedException {
        Path scenario = dir.resolve("soak.yaml");
        Files.writeString(scenario, wallScenario(length));
        Path report = dir.resolve("soak-run");
        String javaHome = System.getProperty("java.home");
        Process child = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-jar", jar.toString(),
                "scenario", "run", scenario.toString(), "--world", "wire", "--report", report.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("soak-run.log").toFile()).start();
        Thread stopChild = new Thread(child::destroyForcibly, "soak-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        List<Sample> samples = new ArrayList<>();
        dev.arcsim.listener.time.SystemScheduler clock = new dev.arcsim.listener.time.SystemScheduler();
        Instant started = clock.now();
        try {
            while (!child.waitFor(every.toMillis(), TimeUnit.MILLISECONDS)) {
                double hours = Duration.between(started, clock.now()).toMillis() / 3.6e6;
                Sample s = sampleChild(child.pid(), hours, Path.of(javaHome, "bin", "jcmd"));
                if (s != null) {
                    samples.add(s);
                    progress.printf(Locale.ROOT, "  soak, wall clock: %.0f min, heap %.1f MiB, %d threads, %d fds%n",
                            hours * 60, s.heapBytes() / 1048576.0, s.threads(), s.fds());
                    progress.flush();
                } else if (child.isAlive()) {
                    progress.println("  soak, wall clock: could not sample process " + child.pid() + " (jcmd, /proc)");
                    progress.flush();
                }
            }
        } finally {
            child.destroyForcibly();
            Runtime.getRuntime().removeShutdownHook(stopChild);
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("the soak run ended before its first sample; see " + dir.resolve("soak-run.log"));
        }
        Path history = report.resolve("history.jsonl");
        long historyBytes = Files.exists(history) ? Files.size(history) : 0;
        String verdict = Files.exists(report.resolve("summary.json"))
                ? JSON.readTree(report.resolve("summary.json").toFile()).path("verdict").asText("?") : "no summary";
        return new Run("wall-clock hour", String.format(Locale.ROOT,
                "%d minutes of `arcsim scenario run` (fake-github over loopback HTTP, the embedded API server, the reference "
                        + "controller and listener, simulated runners) at %.0f jobs a minute, sampled from outside",
                length.toMinutes(), JOBS_PER_MINUTE), samples, historyBytes, "exit " + child.exitValue() + ", verdict " + verdict);
    }

    /** jcmd's GC.heap_info: "total 262144K, used 45678K" (older JDKs) or "total reserved ..., committed ..., used 45678K". */
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");

    /** The heap in use that GC.heap_info reports, in bytes; -1 when the text holds none. */
    static long heapUsed(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** The child's heap after a full GC (jcmd), its threads and descriptors (/proc); null once it has gone. */
    private static Sample sampleChild(long pid, double hours, Path jcmd) throws IOException, InterruptedException {
        if (run(jcmd, pid, "GC.run") == null) {
            return null;
        }
        String info = run(jcmd, pid, "GC.heap_info");
        long heap = info == null ? -1 : heapUsed(info);
        if (heap < 0) {
            return null;
        }
        Path status = Path.of("/proc", Long.toString(pid), "status");
        int threads = 0;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        return new Sample(hours, heap, threads, fds(pid), -1, null);
    }

    private static String run(Path jcmd, long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? out : null;
    }

    private static int fds(long pid) {
        try (Stream<Path> open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) open.count();
        } catch (IOException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ the report

    static ObjectNode json(List<Run> runs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode all = root.putArray("runs");
        for (Run r : runs) {
            ObjectNode n = all.addObject().put("name", r.name()).put("what", r.what()).put("outcome", r.outcome())
                    .put("historyBytes", r.historyBytes()).put("heapGrowthBytes", r.heapGrowth())
                    .put("heapGrowthSecondHalfBytes", r.heapGrowthSecondHalf());
            ArrayNode samples = n.putArray("samples");
            for (Sample s : r.samples()) {
                ObjectNode o = samples.addObject().put("hours", s.hours()).put("heapBytes", s.heapBytes())
                        .put("threads", s.threads()).put("fds", s.fds());
                if (s.held() != null) {
                    o.put("jobsCompleted", s.jobsCompleted()).put("jobsHeld", s.held().jobs())
                            .put("jobsRetired", s.held().jobsRetired()).put("tokensHeld", s.held().tokens())
                            .put("journalEntries", s.held().journalEntries());
                }
            }
        }
        return root;
    }

    /** The runs a soak.json holds (what {@link #json} wrote), so a later soak of another kind can keep them beside its own. */
    static List<Run> read(com.fasterxml.jackson.databind.JsonNode root) {
        List<Run> runs = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode n : root.path("runs")) {
            List<Sample> samples = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode o : n.path("samples")) {
                FakeGitHub.Held held = o.has("jobsHeld") ? new FakeGitHub.Held(o.get("jobsHeld").asInt(),
                        o.get("jobsRetired").asLong(), o.get("tokensHeld").asInt(), o.get("journalEntries").asInt()) : null;
                samples.add(new Sample(o.path("hours").asDouble(), o.path("heapBytes").asLong(), o.path("threads").asInt(),
                        o.path("fds").asInt(), o.path("jobsCompleted").asLong(-1), held));
            }
            runs.add(new Run(n.path("name").asText(), n.path("what").asText(), samples, n.path("historyBytes").asLong(),
                    n.path("outcome").asText()));
        }
        return runs;
    }

    /** The "## Soak" section of bench.md. */
    static String markdown(List<Run> runs) {
        StringBuilder md = new StringBuilder("## Soak\n\n");
        md.append("Heap after a full GC, live threads and open file descriptors, sampled through each run (`arcsim bench "
                + "--soak`). The fake retires completed jobs past 10,000 and forgets tokens an hour after they expire; "
                + "its journal holds at most 100,000 entries.\n\n");
        for (Run r : runs) {
            md.append("### ").append(r.name()).append("\n\n").append(r.what()).append(". Outcome: ").append(r.outcome())
                    .append(".\n\n");
            boolean held = r.first().held() != null;
            md.append(held ? "| hours | heap MiB | threads | fds | jobs completed | jobs held | tokens held | journal |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                    : "| minutes | heap MiB | threads | fds |\n|---:|---:|---:|---:|\n");
            int step = Math.max(1, r.samples().size() / 12);
            for (int i = 0; i < r.samples().size(); i++) {
                if (i % step != 0 && i != r.samples().size() - 1) {
                    continue;
                }
                Sample s = r.samples().get(i);
                if (held) {
                    md.append(String.format(Locale.ROOT, "| %.0f | %.1f | %d | %d | %,d | %,d | %d | %,d |%n", s.hours(),
                            s.heapBytes() / 1048576.0, s.threads(), s.fds(), s.jobsCompleted(), s.held().jobs(),
                            s.held().tokens(), s.held().journalEntries()));
                } else {
                    md.append(String.format(Locale.ROOT, "| %.0f | %.1f | %d | %d |%n", s.hours() * 60,
                            s.heapBytes() / 1048576.0, s.threads(), s.fds()));
                }
            }
            md.append(String.format(Locale.ROOT, "%nHeap growth: %.1f MiB from the first sample to the largest; %.1f MiB over the "
                    + "second half of the run (from its middle sample to the largest after it)",
                    r.heapGrowth() / 1048576.0, r.heapGrowthSecondHalf() / 1048576.0));
            if (r.historyBytes() > 0) {
                md.append(String.format(Locale.ROOT, "; the run's history, which it keeps for its checkers, is %.1f MiB on disk",
                        r.historyBytes() / 1048576.0));
            }
            md.append(".\n\n");
        }
        return md.toString();
    }

    /** Puts the section into {@code benchMd}, replacing an earlier "## Soak" section, or after the rest. */
    static String withSection(String benchMd, String section) {
        int at = benchMd.indexOf("\n## Soak\n");
        if (at < 0) {
            return benchMd.stripTrailing() + "\n\n" + section;
        }
        int next = benchMd.indexOf("\n## ", at + 1);
        return benchMd.substring(0, at + 1) + section + (next < 0 ? "" : benchMd.substring(next + 1));
    }
}
