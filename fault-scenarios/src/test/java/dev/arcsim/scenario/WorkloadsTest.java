package dev.arcsim.scenario;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arrival processes and job durations: what each means, and that a seed replays them exactly. */
class WorkloadsTest {

    @Test
    void constantSpreadsJobsEvenlyAndBurstsArriveTogether() {
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15)),
                Workloads.arrivals(new Scenario.Arrivals.Constant(4, Duration.ofSeconds(20)), new SplittableRandom(1)));
        List<Duration> bursts = Workloads.arrivals(new Scenario.Arrivals.Bursts(List.of(
                new Scenario.Arrivals.Burst(Duration.ofSeconds(10), 2, Duration.ZERO),
                new Scenario.Arrivals.Burst(Duration.ofSeconds(1), 2, Duration.ofSeconds(2)))), new SplittableRandom(1));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10)), bursts);
    }

    @Test
    void poissonArrivalsAreSeededAndNearTheirRate() {
        Scenario.Arrivals p = new Scenario.Arrivals.Poisson(2.0, Duration.ofSeconds(500));
        List<Duration> a = Workloads.arrivals(p, new SplittableRandom(42));
        assertEquals(a, Workloads.arrivals(p, new SplittableRandom(42)), "the same seed, the same arrivals");
        assertNotEquals(a, Workloads.arrivals(p, new SplittableRandom(43)));
        assertTrue(a.size() > 900 && a.size() < 1100, "about 1000 arrivals: " + a.size());
        assertTrue(a.get(a.size() - 1).compareTo(Duration.ofSeconds(500)) < 0);
    }

    @Test
    void jobDurationsAreWholeSecondsWithinTheirBounds() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            long u = Workloads.jobSeconds(new Scenario.JobDuration.Uniform(Duration.ofSeconds(2), Duration.ofSeconds(4)), r);
            assertTrue(u >= 2 && u <= 4, "uniform: " + u);
            long l = Workloads.jobSeconds(new Scenario.JobDuration.LogNormal(Duration.ofSeconds(3), 1.0, Duration.ofSeconds(8)), r);
            assertTrue(l >= 1 && l <= 8, "lognormal, cut at max: " + l);
        }
        assertEquals(1, Workloads.jobSeconds(new Scenario.JobDuration.Fixed(Duration.ofMillis(200)), r), "at least a second");
    }
}
