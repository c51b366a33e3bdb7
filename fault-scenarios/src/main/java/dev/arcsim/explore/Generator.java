package dev.arcsim.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.scenario.Scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes random scenarios from a seed: a workload and a timeline of one to four disruptions of any kind the scenario
 * format has (fake-github fault windows, rule changes, listener kills, deletions and evictions, controller and
 * fake-github restarts, Kubernetes API faults, failing runner pods), at the service's real timings. Each scenario
 * comes from its own seed alone, so any one of a search replays without the others. arcsim's own generator, not a
 * property-testing library's (DEPENDENCIES.md says why).
 */
public final class Generator {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Endpoints a fault may aim at; the message loop's three twice, as most of what can go wrong happens there. */
    private static final List<String> ENDPOINTS = List.of("get-message", "get-message", "ack-message", "ack-message",
            "acquire-jobs", "acquire-jobs", "create-session", "refresh-session", "delete-session", "generate-jit-config",
            "get-runner-by-name", "remove-runner");

    /** What a found failure is judged against: every invariant, recovery within this of each disruption. */
    public static final Duration RECOVERY_WITHIN = Duration.ofMinutes(5);

    private Generator() {
    }

    public static Scenario scenario(long seed, String policy) {
        SplittableRandom r = new SplittableRandom(seed);
        int jobs = 4 + r.nextInt(13);
        Duration over = seconds(30 + r.nextInt(151));
        int max = 3 + r.nextInt(6);
        Scenario.Builder b = Scenario.builder("explore-" + Long.toUnsignedString(seed))
                .description("found by arcsim explore (seed " + seed + ")")
                .seed(seed)
                .duration(Duration.ofMinutes(45))
                .system(new Scenario.Setup(r.nextInt(4) == 0 ? 1 : 0, max, policy, java.util.Map.of(),
                        Duration.ofMillis(200), Duration.ofSeconds(300)))
                .workload(new Scenario.Arrivals.Constant(jobs, over),
                        new Scenario.JobDuration.Uniform(seconds(2), seconds(2 + r.nextInt(59))))
                .recoveryWithin(RECOVERY_WITHIN);
        List<Scenario.Step> steps = new ArrayList<>();
        int count = 1 + r.nextInt(4);
        for (int i = 0; i < count; i++) {
            steps.add(step(r));
        }
        steps.sort(Comparator.comparing(Scenario.Step::at));
        steps.forEach(b::step);
        return b.build();
    }

    private static Scenario.Step step(SplittableRandom r) {
        Duration at = seconds(r.nextInt(150));
        Duration until = at.plus(seconds(5 + r.nextInt(176)));
        return switch (r.nextInt(11)) {
            case 0, 1, 2 -> new Scenario.Step.Fault(at, until, fault(r));
            case 3 -> new Scenario.Step.Rules(at, until, r.nextBoolean()
                    ? JSON.createObjectNode().put("sessionConflict", "reject-all")
                    : JSON.createObjectNode().put("evictSessionOnRefresh", true));
            case 4 -> new Scenario.Step.KillListener(at);
            case 5 -> r.nextBoolean() ? new Scenario.Step.DeleteListener(at) : new Scenario.Step.EvictListener(at);
            case 6 -> new Scenario.Step.RestartController(at, r.nextBoolean() ? null : at.plus(seconds(2 + r.nextInt(59))));
            case 7 -> new Scenario.Step.RestartFakeGitHub(at, r.nextBoolean() ? null : at.plus(seconds(1 + r.nextInt(60))));
            case 8 -> new Scenario.Step.KubernetesFault(at, until, r.nextBoolean() ? 409 : 500, Set.of(),
                    Set.of(r.nextBoolean() ? "pods" : "ephemeralrunnersets"), probability(r));
            case 9 -> new Scenario.Step.RunnerPodFailures(at, 1 + r.nextInt(3));
            default -> new Scenario.Step.Fault(at, until, fault(r).put("endpoint", "get-message"));
        };
    }

    /** A fake-github fault in the timeline's format: any kind, on one endpoint or all, always or sometimes. */
    private static ObjectNode fault(SplittableRandom r) {
        ObjectNode f = JSON.createObjectNode();
        switch (r.nextInt(7)) {
            case 0 -> f.put("kind", "status").put("status", List.of(500, 502, 503).get(r.nextInt(3)));
            case 1 -> f.put("kind", "status").put("status", 429).put("retryAfterSeconds", 1 + r.nextInt(30));
            case 2 -> f.put("kind", "connection-reset");
            case 3 -> f.put("kind", "malformed-chunk");
            case 4 -> f.put("kind", "empty-200");
            case 5 -> f.put("kind", "latency").put("distribution", "uniform").put("minMs", 0).put("maxMs", 1 + r.nextInt(5000));
            default -> f.put("kind", "lost-ack").put("endpoint", "ack-message");
        }
        if (!f.has("endpoint") && r.nextInt(3) != 0) {
            f.put("endpoint", ENDPOINTS.get(r.nextInt(ENDPOINTS.size())));
        }
        double p = probability(r);
        if (p < 1) {
            f.put("probability", p);
        }
        return f;
    }

    private static double probability(SplittableRandom r) {
        return List.of(1.0, 1.0, 0.5, 0.2).get(r.nextInt(4));
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
