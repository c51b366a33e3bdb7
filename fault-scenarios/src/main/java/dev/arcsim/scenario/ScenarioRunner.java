package dev.arcsim.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.check.BoundedRecovery;
import dev.arcsim.check.NoJobLost;
import dev.arcsim.check.NoJobTwice;
import dev.arcsim.check.NoSessionLeak;
import dev.arcsim.check.RunnerBounds;
import dev.arcsim.check.Verdict;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.RulesCodec;
import dev.arcsim.fake.state.JobState;
import dev.arcsim.history.History;
import dev.arcsim.history.HistoryEvent;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.world.EmbeddedWorld;
import dev.arcsim.world.RunSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Plays a scenario on the embedded world on the wall clock: the workload and the timeline from the moment the
 * listener first holds a session, then the graceful end (the runner set deleted), then the checkers over the
 * history. Writes {@code summary.json} and {@code history.jsonl}.
 */
public final class ScenarioRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET = "arc-runner-set";

    /** What a run produced. */
    public record Result(RunSummary summary, History history) {
    }

    private final Scheduler clock = new SystemScheduler();
    private final Consumer<String> progress;

    public ScenarioRunner(Consumer<String> progress) {
        this.progress = progress;
    }

    public Result run(Scenario s, Path reportDir) throws IOException, InterruptedException {
        Rules rules = RulesCodec.merge(Rules.defaults(), JSON.readTree(s.rules()), "rules");
        try (EmbeddedWorld world = new EmbeddedWorld(new EmbeddedWorld.Options(s.seed(), s.policy(), rules,
                Duration.ofMillis(200)), ListenerEvents.none())) {
            ListenerEvents timeline = world.actor("timeline");
            world.createRunnerSet(SET, s.minRunners(), s.maxRunners());
            Instant ready = clock.now().plusSeconds(60);
            while (world.fake.state().snapshot().sessions().isEmpty() && clock.now().isBefore(ready)) {
                clock.sleep(Duration.ofMillis(100));
            }
            java.util.SplittableRandom random = new java.util.SplittableRandom(s.seed());
            Scenario.Workload w = s.workload();
            Instant start = clock.now();
            List<Scenario.Step> pending = new ArrayList<>(s.timeline());
            Duration lastStep = s.timeline().stream().map(Scenario.Step::at).max(Duration::compareTo).orElse(Duration.ZERO);
            Instant deadline = start.plus(s.workload().over()).plus(lastStep).plusSeconds(120);
            int queued = 0;
            int peak = 0;
            long nextReport = 0;
            while (clock.now().isBefore(deadline)) {
                Duration t = Duration.between(start, clock.now());
                while (queued < w.jobs() && t.toMillis() >= w.over().toMillis() * queued / w.jobs()) {
                    world.queueJobs(SET, 1, w.minJobSeconds() + random.nextLong(w.maxJobSeconds() - w.minJobSeconds() + 1));
                    queued++;
                }
                for (Scenario.Step step : List.copyOf(pending)) {
                    if (t.compareTo(step.at()) >= 0) {
                        apply(step, world, timeline);
                        pending.remove(step);
                    }
                }
                int runners = world.runners();
                peak = Math.max(peak, runners);
                var snapshot = world.fake.state().snapshot();
                long done = snapshot.jobs().stream().filter(j -> j.state() == JobState.COMPLETED).count();
                long running = snapshot.jobs().stream().filter(j -> j.state() == JobState.STARTED).count();
                if (t.toSeconds() >= nextReport) {
                    progress.accept(String.format("  t=%3ds  queued %3d  waiting %3d  running %3d  done %3d  runners %3d  listener %s",
                            t.toSeconds(), queued, queued - done - running, running, done, runners,
                            snapshot.sessions().isEmpty() ? "no session" : "polling"));
                    nextReport = t.toSeconds() + 1;
                }
                if (pending.isEmpty() && queued == s.workload().jobs() && done == queued) {
                    break;
                }
                clock.sleep(Duration.ofMillis(100));
            }
            int restarts = world.listeners().stream().mapToInt(al -> al.getStatus() == null || al.getStatus().restarts == null
                    ? 0 : al.getStatus().restarts).sum();
            Duration elapsed = Duration.between(start, clock.now());
            // The graceful end: the controller stops the listener (which deletes its session), removes the runners and
            // deletes the scale set.
            progress.accept("  deleting the runner set ...");
            world.cluster.delete(AutoscalingRunnerSet.class, EmbeddedWorld.RUNNER_NAMESPACE, SET);
            Instant teardown = clock.now().plusSeconds(60);
            while (!world.fake.state().snapshot().scaleSets().isEmpty() && clock.now().isBefore(teardown)) {
                clock.sleep(Duration.ofMillis(200));
            }
            List<HistoryEvent> events = world.history().events();
            List<Verdict> verdicts = List.of(new NoJobLost().check(events), new NoJobTwice().check(events),
                    new RunnerBounds(s.minRunners(), s.maxRunners()).check(events), new NoSessionLeak().check(events),
                    new BoundedRecovery(s.recoveryBound()).check(events));
            RunSummary summary = RunSummary.of(s.name(), s.policy(), s.seed(), "wire", world.fake.state().snapshot().jobs(),
                    world.fake.journal().counters(), peak, restarts, elapsed, verdicts);
            summary.write(reportDir);
            world.history().writeJsonl(reportDir.resolve("history.jsonl"));
            return new Result(summary, world.history());
        }
    }

    private static void setRules(EmbeddedWorld world, String rules) {
        try {
            world.fake.updateRules(JSON.readTree(rules));
        } catch (IOException e) {
            throw new IllegalArgumentException("timeline rules are not JSON: " + rules, e);
        }
    }

    private void apply(Scenario.Step step, EmbeddedWorld world, ListenerEvents timeline) {
        switch (step) {
            case Scenario.Step.KillListener k -> {
                List<AutoscalingListener> listeners = world.listeners();
                String pod = listeners.isEmpty() ? "" : listeners.get(0).getMetadata().getName();
                boolean killed = !pod.isEmpty() && world.kubelet.kill(EmbeddedWorld.CONTROLLER_NAMESPACE, pod);
                timeline.emit("disruption", Map.of("what", "listener-killed", "pod", pod, "done", killed));
            }
            case Scenario.Step.SetRules r -> {
                setRules(world, r.rules());
                timeline.emit("rules-changed", Map.of("rules", r.rules()));
            }
            case Scenario.Step.RollBack r -> {
                setRules(world, r.rules());
                timeline.emit("rules-changed", Map.of("rules", r.rules()));
                timeline.emit("disruption", Map.of("what", "fault-window-closed"));
            }
            case Scenario.Step.RestartListener r -> {
                List<AutoscalingListener> listeners = world.listeners();
                String pod = listeners.isEmpty() ? "" : listeners.get(0).getMetadata().getName();
                world.cluster.delete(io.fabric8.kubernetes.api.model.Pod.class, EmbeddedWorld.CONTROLLER_NAMESPACE, pod);
                timeline.emit("listener-restarted", Map.of("pod", pod));
            }
        }
    }
}
