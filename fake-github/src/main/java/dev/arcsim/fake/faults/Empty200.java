package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A 200 with an empty body: ARC's poll fails on it with {@code EOF} (#4285, #4470). The request never reaches the
 * state, so on a poll nothing is delivered and nothing is lost.
 */
public record Empty200() implements Fault {

    public static final String KIND = "empty-200";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean altersAnswer() {
        return true;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        return ApiResponse.of(200, Map.of("Content-Type", "application/json; charset=utf-8"), new byte[0]);
    }

    @Override
    public void describeInto(ObjectNode node) {
        // no parameters
    }
}
