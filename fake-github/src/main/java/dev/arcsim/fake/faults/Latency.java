package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The answer is delayed by a sampled time; the request is served as usual.
 *
 * @param distribution {@code fixed} (uses {@code ms}), {@code uniform} ({@code minMs}..{@code maxMs}) or
 *                     {@code lognormal} ({@code medianMs}, {@code sigma})
 */
public record Latency(String distribution, long ms, long minMs, long maxMs, double medianMs, double sigma) implements Fault {

    public static final String KIND = "latency";
    private static final long MAX_MS = 3_600_000;

    static Latency parse(JsonInput in) {
        String d = in.string("distribution").orElse("fixed");
        return switch (d) {
            case "fixed" -> new Latency(d, in.longValue("ms", 0, MAX_MS)
                    .orElseThrow(() -> new InvalidInputException(in.field("ms"), "is required for a fixed latency")), 0, 0, 0, 0);
            case "uniform" -> {
                long min = in.longValue("minMs", 0, MAX_MS).orElse(0L);
                long max = in.longValue("maxMs", 0, MAX_MS)
                        .orElseThrow(() -> new InvalidInputException(in.field("maxMs"), "is required for a uniform latency"));
                if (max < min) {
                    throw new InvalidInputException(in.field("maxMs"), "must not be below minMs (" + min + "), got " + max);
                }
                yield new Latency(d, 0, min, max, 0, 0);
            }
            case "lognormal" -> new Latency(d, 0, 0, in.longValue("maxMs", 0, MAX_MS).orElse(MAX_MS),
                    in.doubleValue("medianMs", 0, MAX_MS)
                            .orElseThrow(() -> new InvalidInputException(in.field("medianMs"), "is required for a lognormal latency")),
                    in.doubleValue("sigma", 0, 10).orElse(0.5));
            default -> throw new InvalidInputException(in.field("distribution"),
                    "must be one of fixed, uniform, lognormal, got \"" + d + "\"");
        };
    }

    public Duration sample(dev.arcsim.fake.random.RandomSource random) {
        long millis = switch (distribution) {
            case "uniform" -> minMs + (maxMs > minMs ? random.nextLong(maxMs - minMs + 1) : 0);
            case "lognormal" -> Math.min(maxMs, Math.round(random.lognormal(medianMs, sigma)));
            default -> ms;
        };
        return Duration.ofMillis(millis);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        Duration delay = sample(context.random());
        return service.get().delayedBy(delay);
    }

    @Override
    public void describeInto(ObjectNode node) {
        node.put("distribution", distribution);
        switch (distribution) {
            case "uniform" -> node.put("minMs", minMs).put("maxMs", maxMs);
            case "lognormal" -> node.put("medianMs", medianMs).put("sigma", sigma).put("maxMs", maxMs);
            default -> node.put("ms", ms);
        }
    }
}
