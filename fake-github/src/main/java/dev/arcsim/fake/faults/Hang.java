package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.ApiResponse.Break;
import dev.arcsim.fake.input.JsonInput;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Nothing comes back for {@code seconds}, then the connection is reset. The default outlasts ARC's 5-minute
 * per-attempt client timeout (PROTOCOL.md §3). The request never reaches the state.
 */
public record Hang(long seconds) implements Fault {

    public static final String KIND = "hang";

    static Hang parse(JsonInput in) {
        return new Hang(in.longValue("seconds", 1, 86_400).orElse(330L));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        return ApiResponse.json(200, "{}").delayedBy(Duration.ofSeconds(seconds)).broken(Break.CONNECTION_RESET);
    }

    @Override
    public void describeInto(ObjectNode node) {
        node.put("seconds", seconds);
    }
}
