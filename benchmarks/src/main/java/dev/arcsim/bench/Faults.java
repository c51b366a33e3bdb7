package dev.arcsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.scenario.Scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The faults the recovery benchmarks play, by name, as scenarios at the service's real timings: 10 jobs over three
 * minutes, the fault 30 s in. Each is one seed incident or field failure of SCENARIOS.md at two sizes.
 */
public final class Faults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AT = Duration.ofSeconds(30);
    private static final Map<String, Function<Scenario.Builder, Scenario.Builder>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("sigkill-ttl-30s", b -> b.rule("orphanSessionTtlSeconds", 30).step(new Scenario.Step.KillListener(AT)));
        ALL.put("sigkill-ttl-5m", b -> b.rule("orphanSessionTtlSeconds", 300).step(new Scenario.Step.KillListener(AT)));
        ALL.put("rule-409-1m", b -> ruleWindow(b, Duration.ofMinutes(1)));
        ALL.put("rule-409-10m", b -> ruleWindow(b, Duration.ofMinutes(10)));
        ALL.put("partition-1m", b -> b.step(fault(Duration.ofMinutes(1), JSON.createObjectNode().put("kind", "connection-reset"))));
        ALL.put("partition-5m", b -> b.step(fault(Duration.ofMinutes(5), JSON.createObjectNode().put("kind", "connection-reset"))));
        ALL.put("5xx-burst", b -> b.step(fault(Duration.ofSeconds(20), JSON.createObjectNode().put("kind", "status").put("status", 503))));
        ALL.put("token-expiry", b -> b.rule("messageQueueTokenTtlSeconds", 60)
                .step(fault(Duration.ofMinutes(2), JSON.createObjectNode().put("kind", "status").put("status", 404)
                        .put("endpoint", "refresh-session").put("count", 1).put("typeName", "RunnerAdminException")
                        .put("message", "runner referenced a session ID that doesn't exist in redis"))));
    }

    /** The stricter session rule for a window while the listener pod is rolled (the second seed incident). */
    private static Scenario.Builder ruleWindow(Scenario.Builder b, Duration length) {
        return b.step(new Scenario.Step.Rules(AT, AT.plus(length), JSON.createObjectNode().put("sessionConflict", "reject-all")))
                .step(new Scenario.Step.DeleteListener(AT.plusSeconds(1)));
    }

    private static Scenario.Step fault(Duration length, ObjectNode fault) {
        return new Scenario.Step.Fault(AT, AT.plus(length), fault);
    }

    private Faults() {
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** The fault's scenario under a policy, with a seed. */
    public static Scenario scenario(String fault, Policies.Policy policy, long seed) {
        var shape = ALL.get(fault);
        if (shape == null) {
            throw new IllegalArgumentException("no benchmark fault \"" + fault + "\"; choose one of " + String.join(", ", names()));
        }
        Scenario.Builder b = Scenario.builder("bench-" + fault).description(fault + " under " + policy.name()).seed(seed)
                .duration(Duration.ofMinutes(30))
                .system(new Scenario.Setup(0, 5, policy.listenerPolicy(), Map.of(policy.listenerPolicy(), policy.parameters()),
                        Duration.ofMillis(200), Duration.ofSeconds(300)))
                .workload(new Scenario.Arrivals.Constant(10, Duration.ofMinutes(3)), new Scenario.JobDuration.Fixed(Duration.ofSeconds(20)))
                .recoveryWithin(Duration.ofMinutes(1));
        return shape.apply(b).build();
    }
}
