package dev.arcsim.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The scenarios of ../shared/design/SCENARIOS.md, built so far in Java, with compressed protocol timings. */
public final class Catalogue {

    private Catalogue() {
    }

    /**
     * Seed incident: the listener pod is killed with SIGKILL mid-run; its session stays on the server until the
     * orphan TTL (15 s here), and the controller recreates the pod. ARC's listener meets 409 "already has an active
     * session", exits and is recreated until the TTL passes; the resilient listener takes the session over.
     * (FIELD-ISSUES.md A.3; PROTOCOL.md §4.2.)
     */
    public static Scenario listenerSigkillOrphanedSession(String policy) {
        return new Scenario("listener-sigkill-orphaned-session",
                "SIGKILL the listener mid-run; its session lingers for the orphan TTL",
                7, policy, "{\"orphanSessionTtlSeconds\":15,\"longPollSeconds\":2}", 0, 5,
                new Scenario.Workload(6, Duration.ofSeconds(20), 2, 2),
                List.of(new Scenario.Step.KillListener(Duration.ofSeconds(5))),
                Duration.ofSeconds(10),
                Map.of("arc-legacy", Set.of("bounded-recovery"), "arc-current", Set.of("bounded-recovery")));
    }

    /**
     * Seed incident: the server changes its session rule at run time. For a window every session create answers 409
     * although no session is active, then the change is rolled back. A listener restarted in the window (a rolling
     * update) needs a session: ARC's exits on each 409 and is recreated until the window ends; the resilient one
     * keeps retrying with backoff, not ready, and never exits. (FIELD-ISSUES.md A.3, the seed's rule change.)
     */
    public static Scenario sessionValidationRuleChange(String policy) {
        return new Scenario("session-validation-rule-change",
                "the server rejects every session create for 15 s while the listener restarts",
                11, policy, "{\"longPollSeconds\":2}", 0, 5,
                new Scenario.Workload(6, Duration.ofSeconds(24), 2, 2),
                List.of(new Scenario.Step.SetRules(Duration.ofSeconds(4), "{\"sessionConflict\":\"reject-all\"}"),
                        new Scenario.Step.RestartListener(Duration.ofSeconds(5)),
                        new Scenario.Step.RollBack(Duration.ofSeconds(20), "{\"sessionConflict\":\"strict\"}")),
                Duration.ofSeconds(35),
                Map.of());
    }

    /** What {@code arcsim demo} plays: a workload on a runner set (min 0), with no disruption. */
    public static Scenario demo(String policy, long seed, int jobs, Duration over, int maxRunners) {
        return new Scenario("demo", jobs + " jobs over " + over.toSeconds() + " s, no faults", seed, policy, "{}", 0, maxRunners,
                new Scenario.Workload(jobs, over, 2, 6), List.of(), Duration.ofSeconds(60), Map.of());
    }

    /** Every scenario built so far, by name, for the given policy. */
    public static Map<String, Scenario> all(String policy) {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario s : List.of(listenerSigkillOrphanedSession(policy), sessionValidationRuleChange(policy))) {
            all.put(s.name(), s);
        }
        return all;
    }
}
