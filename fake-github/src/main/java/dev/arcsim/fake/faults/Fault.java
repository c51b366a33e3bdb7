package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;

import java.util.function.Supplier;

/**
 * One kind of fault: what it does to a request. Each kind is a small record, named in JSON and YAML by
 * {@link #kind()}; {@link FaultKinds} lists them. A new kind is one new record plus one line there.
 */
public sealed interface Fault permits StatusFault, Latency, Dribble, ConnectionFault, Empty200, Hang, LostAck, BlankField {

    /** The name faults are given by in JSON and YAML. */
    String kind();

    /**
     * The answer the client gets. {@code service} runs the real handling (the state changes); a fault that stops the
     * request before the service does not call it.
     */
    ApiResponse realise(Supplier<ApiResponse> service, FaultContext context);

    /**
     * Whether the answer the client gets is not what the service would say: a 200 the client cannot read as the
     * service's (an empty body, a blanked field). Such an answer does not count as the service serving the client
     * again when a recovery is measured.
     */
    default boolean altersAnswer() {
        return false;
    }

    /** The kind's own parameters, for the admin API and the journal. */
    void describeInto(ObjectNode node);
}
