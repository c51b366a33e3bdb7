package dev.arcsim.explore;

import dev.arcsim.scenario.Scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Makes a failing scenario smaller while it still fails: fewer timeline steps, shorter windows, earlier steps, fewer
 * and shorter jobs, faults that always fire. Greedy: the first smaller candidate that still fails is kept and the
 * search starts again from it, until no candidate fails or the budget of runs is spent. The result fails; whether
 * it is the smallest is not promised.
 */
public final class Shrinker {

    private final Predicate<Scenario> fails;
    private final int budget;
    private int runs;

    /**
     * @param fails  runs a candidate and says whether it still fails the same way
     * @param budget the most candidate runs
     */
    public Shrinker(Predicate<Scenario> fails, int budget) {
        this.fails = fails;
        this.budget = budget;
    }

    /** How many candidates were run. */
    public int runs() {
        return runs;
    }

    public Scenario shrink(Scenario failing) {
        Scenario current = failing;
        boolean smaller = true;
        while (smaller && runs < budget) {
            smaller = false;
            for (Scenario candidate : candidates(current)) {
                if (runs >= budget) {
                    break;
                }
                runs++;
                if (fails.test(candidate)) {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }
        return current;
    }

    /** Each one step smaller than {@code s}, the biggest cuts first. */
    static List<Scenario> candidates(Scenario s) {
        List<Scenario> out = new ArrayList<>();
        List<Scenario.Step> steps = s.timeline();
        for (int i = 0; i < steps.size(); i++) {
            List<Scenario.Step> fewer = new ArrayList<>(steps);
            fewer.remove(i);
            out.add(with(s, fewer, s.workload()));
        }
        if (s.workload().arrivals() instanceof Scenario.Arrivals.Constant c && c.jobs() > 1) {
            out.add(with(s, steps, new Scenario.Workload(new Scenario.Arrivals.Constant(c.jobs() / 2, half(c.over())),
                    s.workload().jobDuration())));
        }
        if (!(s.workload().jobDuration() instanceof Scenario.JobDuration.Fixed f && f.value().equals(Duration.ofSeconds(2)))) {
            out.add(with(s, steps, new Scenario.Workload(s.workload().arrivals(),
                    new Scenario.JobDuration.Fixed(Duration.ofSeconds(2)))));
        }
        for (int i = 0; i < steps.size(); i++) {
            for (Scenario.Step smaller : smaller(steps.get(i))) {
                List<Scenario.Step> changed = new ArrayList<>(steps);
                changed.set(i, smaller);
                changed.sort(java.util.Comparator.comparing(Scenario.Step::at));
                out.add(with(s, changed, s.workload()));
            }
        }
        return out;
    }

    /** A step with a shorter window, starting earlier, or firing always. */
    private static List<Scenario.Step> smaller(Scenario.Step step) {
        List<Scenario.Step> out = new ArrayList<>();
        Duration at = step.at();
        Duration until = step.until();
        if (until != null && until.minus(at).compareTo(Duration.ofSeconds(2)) >= 0) {
            out.add(reshape(step, at, at.plus(half(until.minus(at)))));
        }
        if (at.compareTo(Duration.ofSeconds(1)) >= 0) {
            Duration earlier = half(at);
            out.add(reshape(step, earlier, until == null ? null : until.minus(at.minus(earlier))));
        }
        if (step instanceof Scenario.Step.Fault f && f.fault().has("probability")) {
            com.fasterxml.jackson.databind.node.ObjectNode always = f.fault().deepCopy();
            always.remove("probability");
            out.add(new Scenario.Step.Fault(f.at(), f.until(), always));
        }
        return out;
    }

    private static Scenario.Step reshape(Scenario.Step step, Duration at, Duration until) {
        return switch (step) {
            case Scenario.Step.Fault f -> new Scenario.Step.Fault(at, until, f.fault());
            case Scenario.Step.Rules r -> new Scenario.Step.Rules(at, until, r.rules());
            case Scenario.Step.KillListener k -> new Scenario.Step.KillListener(at);
            case Scenario.Step.DeleteListener d -> new Scenario.Step.DeleteListener(at);
            case Scenario.Step.EvictListener e -> new Scenario.Step.EvictListener(at);
            case Scenario.Step.RestartController c -> new Scenario.Step.RestartController(at, until);
            case Scenario.Step.RestartFakeGitHub f -> new Scenario.Step.RestartFakeGitHub(at, until);
            case Scenario.Step.KubernetesFault k -> new Scenario.Step.KubernetesFault(at, until, k.status(), k.verbs(),
                    k.resources(), k.probability());
            case Scenario.Step.RunnerPodFailures p -> new Scenario.Step.RunnerPodFailures(at, p.count());
            case Scenario.Step.RivalListener r -> new Scenario.Step.RivalListener(at, until);
            case Scenario.Step.UpdateRunnerSet u -> new Scenario.Step.UpdateRunnerSet(at, u.minRunners(), u.maxRunners(),
                    u.runnerImage());
        };
    }

    private static Duration half(Duration d) {
        return Duration.ofSeconds(d.toSeconds() / 2);
    }

    private static Scenario with(Scenario s, List<Scenario.Step> timeline, Scenario.Workload workload) {
        return new Scenario(s.name(), s.description(), s.seed(), s.duration(), s.system(), s.rules(), workload, timeline,
                s.expect(), s.wire());
    }
}
