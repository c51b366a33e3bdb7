package dev.arcsim.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Draws a workload's arrival times and job durations from the scenario's seed. */
final class Workloads {

    private Workloads() {
    }

    /** Every arrival, as an offset from the workload's start, in order. */
    static List<Duration> arrivals(Scenario.Arrivals arrivals, SplittableRandom random) {
        List<Duration> out = new ArrayList<>();
        switch (arrivals) {
            case Scenario.Arrivals.Constant c -> {
                for (int i = 0; i < c.jobs(); i++) {
                    out.add(Duration.ofMillis(c.over().toMillis() * i / Math.max(1, c.jobs())));
                }
            }
            case Scenario.Arrivals.Poisson p -> {
                double t = 0;
                double end = p.over().toMillis() / 1000.0;
                while (p.perSecond() > 0) {
                    t += -Math.log(1 - random.nextDouble()) / p.perSecond();
                    if (t >= end) {
                        break;
                    }
                    out.add(Duration.ofMillis(Math.round(t * 1000)));
                }
            }
            case Scenario.Arrivals.Bursts b -> b.bursts().forEach(burst -> {
                for (int i = 0; i < burst.jobs(); i++) {
                    out.add(burst.at().plusMillis(burst.over().toMillis() * i / burst.jobs()));
                }
            });
            case Scenario.Arrivals.At a -> out.addAll(a.times());
        }
        out.sort(Duration::compareTo);
        return out;
    }

    /** One job's run time in whole seconds, at least 1. */
    static long jobSeconds(Scenario.JobDuration d, SplittableRandom random) {
        double seconds = switch (d) {
            case Scenario.JobDuration.Fixed f -> f.value().toMillis() / 1000.0;
            case Scenario.JobDuration.Uniform u -> {
                long min = u.min().toSeconds();
                yield min + random.nextLong(u.max().toSeconds() - min + 1);
            }
            case Scenario.JobDuration.LogNormal l -> Math.min(l.max().toMillis() / 1000.0,
                    Math.exp(Math.log(Math.max(0.001, l.median().toMillis() / 1000.0)) + l.sigma() * random.nextGaussian()));
        };
        return Math.max(1, Math.round(seconds));
    }
}
