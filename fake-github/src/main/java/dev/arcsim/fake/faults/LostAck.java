package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.ApiResponse.Break;

import java.util.function.Supplier;

/**
 * The service applies the request, then the connection is reset before the answer arrives: the client cannot tell
 * an applied ack (or acquire, or create) from a lost one.
 */
public record LostAck() implements Fault {

    public static final String KIND = "lost-ack";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        return service.get().broken(Break.CONNECTION_RESET);
    }

    @Override
    public void describeInto(ObjectNode node) {
        // no parameters
    }
}
