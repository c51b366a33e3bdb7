package dev.arcsim.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.check.BoundedRecovery;
import dev.arcsim.check.Invariants;
import dev.arcsim.check.Verdict;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.fake.faults.FaultRule;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.RulesCodec;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.history.History;
import dev.arcsim.history.HistoryEvent;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.report.Reports;
import dev.arcsim.report.RunSummary;
import dev.arcsim.world.EmbeddedWorld;
import dev.arcsim.world.World;
import dev.arcsim.world.process.ListenerBinary;
import dev.arcsim.world.process.Sandbox;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Plays a scenario on a world: the embedded one over loopback HTTP on the wall clock, or the simulated one in
 * virtual time (the runner then acts only while the world is at rest). The workload and the timeline start when the listener
 * first holds a session; the run ends when every job is done, the timeline has played out and every disruption has
 * recovered, or at the scenario's duration. Then the graceful end (the runner set deleted), the checkers over the
 * history, and the report: {@code summary.json}, {@code history.jsonl}, {@code report.md}, {@code report.html}.
 */
public final class ScenarioRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET = "arc-runner-set";
    /** Where, in a report folder, a listener binary's processes write their output. */
    public static final String PROCESS_LOGS = "listener-logs";

    /** What a run produced. */
    public record Result(RunSummary summary, History history) {
    }

    private final Consumer<String> progress;
    private final Duration progressEvery;
    private final String worldKind;
    private final dev.arcsim.world.ClusterKind cluster;
    /** ARC's controller and listener in place of arcsim's; null plays arcsim's controller. */
    private final dev.arcsim.world.arc.ArcRelease arc;

    /**
     * @param progress where progress lines go, one each {@code progressEvery} of the world's time
     * @param world    {@code wire} (the embedded world over loopback HTTP, wall clock) or {@code sim} (virtual time)
     */
    public ScenarioRunner(Consumer<String> progress, Duration progressEvery, String world) {
        this(progress, progressEvery, world, dev.arcsim.world.ClusterKind.MOCK);
    }

    /** @param cluster the API server a wire world runs on (the simulated world has its own store) */
    public ScenarioRunner(Consumer<String> progress, Duration progressEvery, String world, dev.arcsim.world.ClusterKind cluster) {
        this(progress, progressEvery, world, cluster, null);
    }

    /**
     * @param arc ARC's release (controller, listener, CRDs) to play in place of arcsim's controller, on a real API
     *            server; null plays arcsim's
     */
    public ScenarioRunner(Consumer<String> progress, Duration progressEvery, String world, dev.arcsim.world.ClusterKind cluster,
                          dev.arcsim.world.arc.ArcRelease arc) {
        if (!WORLDS.contains(world)) {
            throw new IllegalArgumentException("no world \"" + world + "\"; choose one of " + String.join(", ", WORLDS));
        }
        if (arc != null && (!world.equals("wire") || cluster != dev.arcsim.world.ClusterKind.REAL)) {
            throw new IllegalArgumentException("ARC's controller runs only in the wire world on a real API server "
                    + "(--world wire --cluster real)");
        }
        cluster.checkWorld(world);
        this.arc = arc;
        this.cluster = cluster;
        this.progress = progress;
        this.progressEvery = progressEvery;
        this.worldKind = world;
    }

    public ScenarioRunner(Consumer<String> progress) {
        this(progress, Duration.ofSeconds(1), "wire");
    }

    public static final List<String> WORLDS = List.of("wire", "sim");

    /** One run in the simulated world with no progress and no report: for searches, sweeps and benchmarks. */
    public static Result simulate(Scenario s) {
        try {
            return new ScenarioRunner(line -> { }, Duration.ofHours(1), "sim").run(s, s.name(), null, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private World open(Scenario s, Rules rules, ListenerBinary binary, Path processLogs) {
        Scenario.Setup setup = s.system();
        if (worldKind.equals("sim")) {
            return new dev.arcsim.sim.SimWorld(s.seed(), setup.policy(), setup.parameters(), rules, setup.controllerPass(),
                    setup.requestTimeout());
        }
        EmbeddedWorld.Options options = new EmbeddedWorld.Options(s.seed(), setup.policy(), setup.parameters(), rules,
                setup.controllerPass(), setup.requestTimeout());
        options = options.withCluster(cluster);
        if (arc != null) {
            return new EmbeddedWorld(options.withArc(arc, processLogs), ListenerEvents.none());
        }
        return new EmbeddedWorld(binary == null ? options : options.withListenerBinary(binary, processLogs),
                ListenerEvents.none());
    }

    /**
     * The scenario's listener binary, checked, with this machine's sandbox; null when it has none.
     *
     * @throws ListenerBinary.Invalid what is wrong with it, in one line
     */
    public static ListenerBinary listenerBinary(Scenario s, String world) {
        String path = s.system().listenerBinary();
        if (path == null) {
            return null;
        }
        if (!world.equals("wire")) {
            throw new ListenerBinary.Invalid("--listener-binary runs ARC's listener as a process on the wall clock: "
                    + "use --world wire (the " + world + " world plays only arcsim's listener models)");
        }
        ListenerBinary binary = ListenerBinary.check(Path.of(path));
        Sandbox.check();
        return binary;
    }

    private ListenerBinary arcListener(Scenario s) {
        if (s.system().listenerBinary() != null) {
            throw new ListenerBinary.Invalid("--arc runs ARC's own listener (" + arc.listener().path() + "): leave out "
                    + "--listener-binary " + s.system().listenerBinary());
        }
        Sandbox.check();
        return arc.listener();
    }

    /** A timeline step's start or end, at an offset from the workload's start. */
    private record Action(Duration at, int step, boolean opens, Runnable run) {
    }

    /**
     * @param source how the replay command names the scenario: its catalogue name or its file
     * @param text   the scenario file's text, shown in the HTML report (null: none)
     * @param reportDir where the report goes; null writes none (the result has it all)
     */
    public Result run(Scenario scenario, String source, String text, Path reportDir) throws IOException, InterruptedException {
        Scenario s = scenario.forWorld(worldKind);
        Rules rules = RulesCodec.merge(Rules.defaults(), s.rules(), "rules");
        ListenerBinary binary = arc == null ? listenerBinary(s, worldKind) : arcListener(s);
        if (binary == null || reportDir != null) {
            return play(s, rules, source, text, reportDir, binary, binary == null ? null : reportDir.resolve(PROCESS_LOGS));
        }
        Path logs = java.nio.file.Files.createTempDirectory("arcsim-listener-logs");   // no report: nowhere to keep them
        try {
            return play(s, rules, source, text, null, binary, logs);
        } finally {
            dev.arcsim.world.process.Folders.delete(logs);
        }
    }

    private Result play(Scenario s, Rules rules, String source, String text, Path reportDir, ListenerBinary binary,
                        Path processLogs) throws IOException, InterruptedException {
        Scenario.Setup setup = s.system();
        try (World world = open(s, rules, binary, processLogs)) {
            Timeline timeline = new Timeline(world, world.actor("timeline"));
            world.createRunnerSet(SET, setup.minRunners(), setup.maxRunners());
            Instant ready = world.now().plusSeconds(60);
            while (world.fake().state().counts().sessions() == 0 && world.now().isBefore(ready)) {
                var failure = world.listenerStartFailure();
                if (failure.isPresent()) {
                    throw new ListenerBinary.Invalid(failure.get());
                }
                world.advance(world.step());
            }
            SplittableRandom random = new SplittableRandom(s.seed());
            List<Duration> arrivals = Workloads.arrivals(s.workload().arrivals(), random);
            List<Action> actions = timeline.actions(s.timeline());
            Instant start = world.now();
            world.actor("timeline").emit("workload-started", Map.of("jobs", arrivals.size()));
            Instant deadline = start.plus(s.duration());
            int queued = 0;
            int next = 0;
            Instant nextReport = start;
            Instant nextRecoveryCheck = start;
            boolean recovered = false;
            while (world.now().isBefore(deadline)) {
                Duration t = Duration.between(start, world.now());
                while (queued < arrivals.size() && t.compareTo(arrivals.get(queued)) >= 0) {
                    world.queueJobs(SET, 1, Workloads.jobSeconds(s.workload().jobDuration(), random));
                    queued++;
                }
                while (next < actions.size() && t.compareTo(actions.get(next).at()) >= 0) {
                    Action action = actions.get(next++);
                    try {
                        action.run().run();
                    } catch (RuntimeException e) {
                        // what a step does goes through the same APIs the faults hit (kubectl delete during an API
                        // outage fails too): the run records it and goes on
                        world.actor("timeline").emit("step-failed", Map.of("step", action.step() + 1,
                                "error", e.getClass().getSimpleName() + ": " + e.getMessage()));
                    }
                }
                var counts = world.fake().state().counts();
                long done = counts.jobs(JobState.COMPLETED);
                if (!world.now().isBefore(nextReport)) {
                    long running = counts.jobs(JobState.STARTED);
                    progress.accept(String.format("  t=%3ds  queued %3d  waiting %3d  running %3d  done %3d  runners %3d  %-10s  %s",
                            t.toSeconds(), queued, queued - done - running, running, done, world.runners(),
                            counts.sessions() == 0 ? "no session" : "polling", timeline.activeText()));
                    nextReport = nextReport.plus(progressEvery);
                }
                boolean workDone = queued == arrivals.size() && done >= queued && next == actions.size();
                if (workDone && !world.now().isBefore(nextRecoveryCheck)) {
                    recovered = BoundedRecovery.recoveries(world.history().events()).stream()
                            .allMatch(r -> r.toFirstPoll() != null);
                    nextRecoveryCheck = world.now().plusSeconds(1);
                }
                if (workDone && recovered) {
                    break;
                }
                world.advance(world.step());
            }
            double elapsed = Duration.between(start, world.now()).toMillis() / 1000.0;
            timeline.closeAll();
            // At rest: idle runners beyond minRunners go once their jobs are done; give them a moment to. The listener
            // lets the controller scale down only on a poll with nothing new, so that takes up to one long poll more.
            Instant rest = world.now().plusSeconds(30).plus(rules.longPoll());
            while (world.fake().state().counts().runners() != setup.minRunners() && world.now().isBefore(rest)) {
                world.advance(world.step());
            }
            // The graceful end: the controller stops the listener (which deletes its session), removes the runners and
            // deletes the scale set.
            progress.accept("  deleting the runner set ...");
            world.actor("timeline").emit(dev.arcsim.check.RunnerBounds.TEARDOWN, Map.of());
            world.cluster().delete(AutoscalingRunnerSet.class, World.RUNNER_NAMESPACE, SET);
            Instant teardown = world.now().plusSeconds(60);
            while (world.fake().state().counts().scaleSets() != 0 && world.now().isBefore(teardown)) {
                world.advance(world.step());
            }
            List<HistoryEvent> events = world.history().events();
            List<Verdict> verdicts = Invariants.all(setup.minRunners(), setup.maxRunners(), s.expect().recoveryWithin())
                    .stream().map(c -> c.check(events)).toList();
            Scenario.PolicyOutcome expected = s.expected();
            RunSummary summary = RunSummary.of(s.name(), s.description(), setup.policy(), s.seed(), world.kind(), events,
                    verdicts, expected.breaks(), expected.bounds(), elapsed,
                    "./arcsim scenario run " + source + " --policy " + setup.policy() + " --seed " + s.seed()
                            + (worldKind.equals("wire") ? "" : " --world " + worldKind)
                            + (arc != null ? " --arc " + arc.dir() : cluster.flag()
                            + (binary == null ? "" : " --listener-binary " + binary.path())));
            if (arc != null) {
                summary = summary.withListener(new RunSummary.Listener("arc " + arc.version(), binary.path().toString(),
                        binary.sha256(), reportDir == null ? null : PROCESS_LOGS));
            } else if (binary != null) {
                summary = summary.withListener(new RunSummary.Listener("binary", binary.path().toString(), binary.sha256(),
                        reportDir == null ? null : PROCESS_LOGS));
            }
            if (reportDir != null) {
                summary.write(reportDir);
                world.history().writeJsonl(reportDir.resolve("history.jsonl"));
                Reports.writeRun(summary, world.history(), text, reportDir);
            }
            return new Result(summary, world.history());
        }
    }

    /** Turns steps into actions on the world, and keeps what is in force for the progress line. */
    private static final class Timeline {
        private final World world;
        private final ListenerEvents events;
        private final Map<String, String> active = new LinkedHashMap<>();
        private final List<Runnable> closers = new ArrayList<>();

        Timeline(World world, ListenerEvents events) {
            this.world = world;
            this.events = events;
        }

        String activeText() {
            synchronized (active) {
                return active.isEmpty() ? "" : "in force: " + String.join(", ", active.values());
            }
        }

        void closeAll() {
            List.copyOf(closers).forEach(Runnable::run);
        }

        List<Action> actions(List<Scenario.Step> steps) {
            List<Action> out = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                Scenario.Step step = steps.get(i);
                String window = "w" + (i + 1);
                Runnable[] openClose = forStep(step, window);
                Runnable close = openClose[1];
                if (step.until() == null) {
                    out.add(new Action(step.at(), i, true, () -> {
                        openClose[0].run();
                        if (close != null) {
                            close.run();
                        }
                    }));
                } else {
                    boolean[] closed = {false};
                    Runnable once = () -> {
                        if (!closed[0]) {
                            closed[0] = true;
                            close.run();
                            synchronized (active) {
                                active.remove(window);
                            }
                            events.emit("fault-window-closed", Map.of("window", window));
                            events.emit("disruption", Map.of("what", step.action() + " window closed", "window", window));
                        }
                    };
                    out.add(new Action(step.at(), i, true, () -> {
                        openClose[0].run();
                        synchronized (active) {
                            active.put(window, describe(step));
                        }
                        events.emit("fault-window-opened", Map.of("window", window, "what", describe(step)));
                        closers.add(once);
                    }));
                    out.add(new Action(step.until(), i, false, once));
                }
            }
            // Stable: at one instant, steps keep file order and a window closing goes before one opening.
            out.sort(Comparator.comparing(Action::at).thenComparing(a -> a.opens()).thenComparingInt(Action::step));
            return out;
        }

        private static String describe(Scenario.Step step) {
            return switch (step) {
                case Scenario.Step.Fault f -> "fault " + f.fault().path("kind").asText()
                        + (f.fault().has("status") ? " " + f.fault().get("status") : "")
                        + (f.fault().has("endpoint") ? " on " + f.fault().get("endpoint").toString().replace("\"", "") : "");
                case Scenario.Step.Rules r -> "rules " + r.rules();
                case Scenario.Step.KubernetesFault k -> "kubernetes " + k.status()
                        + (k.resources().isEmpty() ? "" : " on " + String.join(",", k.resources()));
                default -> step.action();
            };
        }

        /** The step's opening action and its closing one (null for a one-off). */
        private Runnable[] forStep(Scenario.Step step, String window) {
            return switch (step) {
                case Scenario.Step.Fault f -> {
                    FaultRule rule = FaultRule.parseForStep(f.fault(), "fault", window);
                    yield new Runnable[] {() -> world.fake().faults().add(rule), () -> world.fake().faults().remove(window)};
                }
                case Scenario.Step.Rules r -> {
                    ObjectNode before = JSON.createObjectNode();
                    yield new Runnable[] {() -> {
                        ObjectNode now = RulesCodec.toJson(world.fake().rules());
                        r.rules().fieldNames().forEachRemaining(name -> before.set(name, now.get(name)));
                        world.fake().updateRules(r.rules());
                        events.emit("rules-changed", Map.of("rules", r.rules().toString()));
                    }, r.until() == null ? null : () -> {
                        world.fake().updateRules(before);
                        events.emit("rules-changed", Map.of("rules", before.toString()));
                    }};
                }
                case Scenario.Step.KillListener k -> oneOff(() -> {
                    String pod = listenerPod();
                    boolean killed = !pod.isEmpty() && world.kubelet().kill(World.CONTROLLER_NAMESPACE, pod);
                    events.emit("disruption", Map.of("what", "listener-killed", "pod", pod, "done", killed));
                });
                case Scenario.Step.DeleteListener d -> oneOff(() -> {
                    String pod = listenerPod();
                    if (!pod.isEmpty()) {
                        world.cluster().delete(Pod.class, World.CONTROLLER_NAMESPACE, pod);
                    }
                    events.emit("disruption", Map.of("what", "listener-deleted", "pod", pod));
                });
                case Scenario.Step.EvictListener e -> oneOff(() -> {
                    String pod = listenerPod();
                    boolean evicted = !pod.isEmpty() && world.kubelet().evict(World.CONTROLLER_NAMESPACE, pod);
                    events.emit("disruption", Map.of("what", "listener-evicted", "pod", pod, "done", evicted));
                });
                case Scenario.Step.RestartController c -> new Runnable[] {() -> {
                    world.stopController();
                    events.emit("controller-stopped", Map.of());
                }, () -> {
                    world.resumeController();
                    events.emit("controller-started", Map.of());
                    if (c.until() == null) {
                        events.emit("disruption", Map.of("what", "controller-restarted"));
                    }
                }};
                case Scenario.Step.RestartFakeGitHub f -> {
                    FaultRule down = FaultRule.parse(JSON.createObjectNode().put("kind", "connection-reset"), "restart", window);
                    yield new Runnable[] {() -> {
                        events.emit("fake-github-restarted", Map.of());
                        world.fake().state().forgetSessions("service-restarted");
                        if (f.until() != null) {
                            world.fake().faults().add(down);
                        }
                        if (f.until() == null) {
                            events.emit("disruption", Map.of("what", "fake-github-restarted"));
                        }
                    }, f.until() == null ? null : () -> world.fake().faults().remove(window)};
                }
                case Scenario.Step.KubernetesFault k -> new Runnable[] {
                        () -> world.addKubernetesFault(window, k.status(), k.verbs(), k.resources(), k.probability()),
                        () -> world.removeKubernetesFault(window)};
                case Scenario.Step.RunnerPodFailures r -> oneOff(() -> {
                    world.failRunnerPods(r.count());
                    events.emit("runner-pod-failures", Map.of("count", r.count()));
                });
                case Scenario.Step.RivalListener r -> new Runnable[] {() -> {
                    boolean started = world.startRival(window);
                    events.emit("rival-listener-started", Map.of("done", started));
                }, () -> {
                    world.stopRival(window);
                    events.emit("rival-listener-stopped", Map.of());
                }};
                case Scenario.Step.UpdateRunnerSet u -> oneOff(() -> {
                    world.updateRunnerSet(SET, u.minRunners(), u.maxRunners(), u.runnerImage());
                    events.emit("disruption", Map.of("what", "runner-set-updated"));
                });
            };
        }

        private static Runnable[] oneOff(Runnable r) {
            return new Runnable[] {r, null};
        }

        private String listenerPod() {
            List<AutoscalingListener> listeners = world.listeners();
            return listeners.isEmpty() ? "" : listeners.get(0).getMetadata().getName();
        }
    }
}
