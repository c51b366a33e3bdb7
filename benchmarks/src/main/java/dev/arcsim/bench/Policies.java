package dev.arcsim.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retry policies the recovery benchmarks compare, by name: ARC's three lines as baselines, arcsim's
 * {@code resilient} default, and the usual backoff families expressed as resilient's parameters (PolicyFactory).
 * The gRPC one follows gRPC's connection-backoff document: 1 s initial, ×1.6, ±20 % jitter, 120 s cap.
 */
public final class Policies {

    /** A listener policy and its {@code arcsim_policy_parameters}. */
    public record Policy(String name, String listenerPolicy, Map<String, Object> parameters) {
    }

    private static final Map<String, Policy> ALL = new LinkedHashMap<>();

    static {
        add("arc-0.8", "arc-0.8", Map.of());
        add("arc-legacy", "arc-legacy", Map.of());
        add("arc-current", "arc-current", Map.of());
        add("resilient", "resilient", Map.of());
        add("fixed", "resilient", Map.of("baseSeconds", 5, "multiplier", 1, "capSeconds", 5, "jitter", "none"));
        add("exponential", "resilient", Map.of("jitter", "none"));
        add("full-jitter", "resilient", Map.of("jitter", "full"));
        add("equal-jitter", "resilient", Map.of("jitter", "equal"));
        add("decorrelated-jitter", "resilient", Map.of("jitter", "decorrelated"));
        add("grpc", "resilient", Map.of("baseSeconds", 1, "multiplier", 1.6, "capSeconds", 120, "jitter", "proportional",
                "spread", 0.2));
        add("retry-budget", "resilient", Map.of("retryBudgetPerMinute", 10));
    }

    private static void add(String name, String policy, Map<String, Object> parameters) {
        ALL.put(name, new Policy(name, policy, parameters));
    }

    private Policies() {
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Policy named(String name) {
        Policy p = ALL.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no benchmark policy \"" + name + "\"; choose one of " + String.join(", ", names()));
        }
        return p;
    }
}
