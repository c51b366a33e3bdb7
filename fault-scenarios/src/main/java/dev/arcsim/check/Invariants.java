package dev.arcsim.check;

import java.time.Duration;
import java.util.List;

/** The catalogue's invariants (SCENARIOS.md), checked on every run unless a scenario says a policy breaks one. */
public final class Invariants {

    public static final List<String> NAMES = List.of("no-job-lost", "no-job-twice", "runner-bounds", "no-session-leak",
            "no-runner-leak", "bounded-recovery");

    private Invariants() {
    }

    /** Every checker, configured for a runner set's bounds and the scenario's recovery bound. */
    public static List<Checker> all(int minRunners, int maxRunners, Duration recoveryBound) {
        return List.of(new NoJobLost(), new NoJobTwice(), new RunnerBounds(minRunners, maxRunners), new NoSessionLeak(),
                new NoRunnerLeak(), new BoundedRecovery(recoveryBound));
    }
}
