package dev.arcsim.scenario;

import java.time.Duration;
import java.util.List;

/**
 * A scenario: the system (runner set bounds, listener policy), the server's rules, a workload, a timeline of
 * disruptions, and the bound recovery must meet. Built in Java for now; the YAML format describes the same value.
 *
 * @param rules          server rules as a partial rules object in JSON (fake-github's names), applied at start
 * @param expectedToFail the invariants each policy is expected to break here (ARC's known failures), by policy name;
 *                       a policy not named must hold every invariant
 */
public record Scenario(String name, String description, long seed, String policy, String rules, int minRunners,
                       int maxRunners, Workload workload, List<Step> timeline, Duration recoveryBound,
                       java.util.Map<String, java.util.Set<String>> expectedToFail) {

    /** The invariants the current policy is expected to break. */
    public java.util.Set<String> expectedFailures() {
        return expectedToFail.getOrDefault(policy, java.util.Set.of());
    }

    /** {@code jobs} jobs spread evenly over {@code over}, each running between the two bounds (seeded). */
    public record Workload(int jobs, Duration over, long minJobSeconds, long maxJobSeconds) {
    }

    /** One thing the timeline does at {@code at} after the listener first holds a session. */
    public sealed interface Step {
        Duration at();

        /** SIGKILL the listener pod: no cleanup, its session stays on the server. */
        record KillListener(Duration at) implements Step {
        }

        /** Change the server's rules (fake-github's names, partial). */
        record SetRules(Duration at, String rules) implements Step {
        }

        /** Roll a rule change back; recovery is measured from here (the end of a fault window). */
        record RollBack(Duration at, String rules) implements Step {
        }

        /** Delete the listener pod (SIGTERM: its session is deleted); the controller makes a new one. */
        record RestartListener(Duration at) implements Step {
        }
    }

    public Scenario withPolicy(String p) {
        return new Scenario(name, description, seed, p, rules, minRunners, maxRunners, workload, timeline, recoveryBound,
                expectedToFail);
    }
}
