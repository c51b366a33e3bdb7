package dev.arcsim.listener.policy;

import dev.arcsim.listener.config.ConfigException;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a policy from its name and parameters (from {@code arcsim_policy_parameters} in the config, or a scenario).
 * The resilient policy takes: {@code baseSeconds} (1), {@code multiplier} (2), {@code capSeconds} (30),
 * {@code jitter} (full | equal | decorrelated | proportional | none), {@code spread} (0.2, proportional only),
 * {@code retryBudgetPerMinute} (60, 0 = none), {@code escalateAfterSeconds} (300). {@code broken-ack-first} is
 * accepted but not listed: a planted bug for checking that a search catches one.
 */
public final class PolicyFactory {

    private static final Set<String> RESILIENT_PARAMETERS = Set.of("baseSeconds", "multiplier", "capSeconds", "jitter",
            "spread", "retryBudgetPerMinute", "escalateAfterSeconds");

    private PolicyFactory() {
    }

    public static String names() {
        return ListenerPolicy.RESILIENT + ", " + ListenerPolicy.ARC_08 + ", " + ListenerPolicy.ARC_LEGACY + ", "
                + ListenerPolicy.ARC_CURRENT;
    }

    public static ListenerPolicy create(String name, Map<String, Object> parameters) {
        return switch (name) {
            case ListenerPolicy.ARC_08 -> noParameters(name, parameters, ListenerPolicy.arc08());
            case ListenerPolicy.ARC_LEGACY -> noParameters(name, parameters, ListenerPolicy.arcLegacy());
            case ListenerPolicy.ARC_CURRENT -> noParameters(name, parameters, ListenerPolicy.arcCurrent());
            case ListenerPolicy.RESILIENT -> resilient(parameters);
            case ListenerPolicy.BROKEN_ACK_FIRST -> noParameters(name, parameters, ListenerPolicy.brokenAckFirst());
            default -> throw new ConfigException("unknown policy \"" + name + "\"; choose one of " + names());
        };
    }

    private static ListenerPolicy noParameters(String name, Map<String, Object> parameters, ListenerPolicy policy) {
        if (!parameters.isEmpty()) {
            throw new ConfigException("policy " + name + " is ARC's own behaviour and takes no parameters; got "
                    + parameters.keySet());
        }
        return policy;
    }

    private static ListenerPolicy resilient(Map<String, Object> p) {
        for (String key : p.keySet()) {
            if (!RESILIENT_PARAMETERS.contains(key)) {
                throw new ConfigException("arcsim_policy_parameters." + key + " is not a parameter of resilient; allowed: "
                        + String.join(", ", RESILIENT_PARAMETERS.stream().sorted().toList()));
            }
        }
        double base = number(p, "baseSeconds", 1, 0.001, 3600);
        double multiplier = number(p, "multiplier", 2, 1, 10);
        double cap = number(p, "capSeconds", 30, base, 86_400);
        double spread = number(p, "spread", 0.2, 0, 0.99);
        String jitterName = String.valueOf(p.getOrDefault("jitter", "full")).toUpperCase(Locale.ROOT);
        Backoff.Jitter jitter;
        try {
            jitter = Backoff.Jitter.valueOf(jitterName);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("arcsim_policy_parameters.jitter must be one of none, full, equal, decorrelated, "
                    + "proportional, got \"" + p.get("jitter") + "\"");
        }
        Backoff backoff = new Backoff.Exponential(Duration.ofMillis(Math.round(base * 1000)), multiplier,
                Duration.ofMillis(Math.round(cap * 1000)), jitter, spread);
        int budget = (int) number(p, "retryBudgetPerMinute", 60, 0, 1_000_000);
        Duration escalate = Duration.ofSeconds((long) number(p, "escalateAfterSeconds", 300, 1, 86_400));
        return ListenerPolicy.resilient(backoff, budget, escalate);
    }

    private static double number(Map<String, Object> p, String key, double fallback, double min, double max) {
        Object v = p.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new ConfigException("arcsim_policy_parameters." + key + " must be a number, got \"" + v + "\"");
        }
        double d = n.doubleValue();
        if (d < min || d > max) {
            throw new ConfigException("arcsim_policy_parameters." + key + " must be between " + min + " and " + max + ", got " + d);
        }
        return d;
    }
}
