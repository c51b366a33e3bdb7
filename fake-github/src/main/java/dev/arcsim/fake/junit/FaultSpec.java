package dev.arcsim.fake.junit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.WireJson;

/**
 * A fault for {@link FakeGitHubAdmin#addFault}: a kind with its parameters and the requests it hits, in the shape of
 * {@code POST /_arcsim/faults} (docs/fake-github.md lists the kinds, parameters and endpoint names). The fake checks
 * it when it is added; a wrong field is refused there, naming the field. Each method returns a new spec.
 *
 * <pre>{@code
 * FaultSpec.status(409).on("create-session").count(1)
 * FaultSpec.latency(Duration.ofSeconds(2)).on("get-message", "acquire-jobs").between(10, 40)
 * FaultSpec.of("blank-field").with("field", "messageQueueUrl").with("as", "empty").on("refresh-session")
 * }</pre>
 */
public final class FaultSpec {

    private final ObjectNode json;

    private FaultSpec(ObjectNode json) {
        this.json = json;
    }

    /** A fault of any kind; add its parameters with {@link #with}. */
    public static FaultSpec of(String kind) {
        return new FaultSpec(WireJson.MAPPER.createObjectNode().put("kind", kind));
    }

    /** An answer of {@code status} with the error body of the endpoint's family; it does not reach the state. */
    public static FaultSpec status(int status) {
        return of("status").with("status", status);
    }

    /** The normal answer, {@code delay} late. */
    public static FaultSpec latency(java.time.Duration delay) {
        return of("latency").with("distribution", "fixed").with("ms", delay.toMillis());
    }

    /** A TCP reset instead of an answer. */
    public static FaultSpec connectionReset() {
        return of("connection-reset");
    }

    /** 200 with an empty body. */
    public static FaultSpec empty200() {
        return of("empty-200");
    }

    /** The request is applied, then the connection resets: the client does not learn that it was. */
    public static FaultSpec lostAck() {
        return of("lost-ack");
    }

    /** A kind's parameter: a string, number or boolean. */
    public FaultSpec with(String parameter, Object value) {
        ObjectNode copy = json.deepCopy();
        copy.set(parameter, WireJson.MAPPER.valueToTree(value));
        return new FaultSpec(copy);
    }

    /** Hits only these endpoints (e.g. {@code get-message}); without it, every endpoint. */
    public FaultSpec on(String... endpoints) {
        ObjectNode copy = json.deepCopy();
        if (endpoints.length == 1) {
            copy.put("endpoint", endpoints[0]);
        } else {
            ArrayNode list = copy.putArray("endpoint");
            for (String e : endpoints) {
                list.add(e);
            }
        }
        return new FaultSpec(copy);
    }

    /** Hits at most {@code n} requests. */
    public FaultSpec count(int n) {
        return with("count", n);
    }

    /** Hits a request with this probability, drawn from the fake's seeded source. */
    public FaultSpec probability(double p) {
        return with("probability", p);
    }

    /** Hits only from {@code atSeconds} to {@code untilSeconds} after the fake started. */
    public FaultSpec between(double atSeconds, double untilSeconds) {
        return with("at", atSeconds).with("until", untilSeconds);
    }

    /** Names the fault, for {@link FakeGitHubAdmin#removeFault} and the journal's fault hits; otherwise the fake names it. */
    public FaultSpec id(String id) {
        return with("id", id);
    }

    /** The fault as the admin API takes it. */
    public String toJson() {
        return json.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
