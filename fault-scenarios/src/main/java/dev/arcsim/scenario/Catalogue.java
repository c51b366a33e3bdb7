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

    /** What {@code arcsim demo} plays: a workload on a runner set (min 0), with no disruption. */
    public static Scenario demo(String policy, long seed, int jobs, Duration over, int maxRunners) {
        return new Scenario("demo", jobs + " jobs over " + over.toSeconds() + " s, no faults", seed, policy, "{}", 0, maxRunners,
                new Scenario.Workload(jobs, over, 2, 6), List.of(), Duration.ofSeconds(60), Map.of());
    }

    /** Every scenario built so far, by name, for the given policy. */
    public static Map<String, Scenario> all(String policy) {
        Map<String, Scenario> all = new LinkedHashMap<>();
        Scenario s = listenerSigkillOrphanedSession(policy);
        all.put(s.name(), s);
        return all;
    }
}
