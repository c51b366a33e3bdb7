package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.input.JsonInput;

import java.time.Duration;
import java.util.function.Supplier;

/** The body is sent in {@code chunks} pieces spread over {@code durationMs}: a slow body, not a slow start. */
public record Dribble(int chunks, long durationMs) implements Fault {

    public static final String KIND = "dribble";

    static Dribble parse(JsonInput in) {
        return new Dribble(in.intValue("chunks", 2, 10_000).orElse(10), in.longValue("durationMs", 1, 3_600_000).orElse(5_000L));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        return service.get().dribbled(chunks, Duration.ofMillis(durationMs));
    }

    @Override
    public void describeInto(ObjectNode node) {
        node.put("chunks", chunks).put("durationMs", durationMs);
    }
}
