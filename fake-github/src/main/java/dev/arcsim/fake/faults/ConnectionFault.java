package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.ApiResponse.Break;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The connection breaks before any answer: a reset ({@code connection-reset}), a close with nothing sent
 * ({@code empty-response}), a broken chunked body ({@code malformed-chunk}) or garbage then a close
 * ({@code random-data}). The request never reaches the state.
 */
public record ConnectionFault(Break how) implements Fault {

    static final Map<String, Break> KINDS = Map.of(
            "connection-reset", Break.CONNECTION_RESET,
            "empty-response", Break.EMPTY_RESPONSE,
            "malformed-chunk", Break.MALFORMED_CHUNK,
            "random-data", Break.RANDOM_DATA);

    @Override
    public String kind() {
        return KINDS.entrySet().stream().filter(e -> e.getValue() == how).findFirst().orElseThrow().getKey();
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        // A malformed chunk still needs a status line and headers before the broken body.
        return ApiResponse.json(200, "{}").broken(how);
    }

    @Override
    public void describeInto(ObjectNode node) {
        // no parameters
    }
}
