package dev.arcsim.fake.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fake answers, and how it is delivered. A delivery is what a fault did to the answer: a delay before it,
 * a body dribbled in chunks, or a broken connection instead of (or after) it. Each world realises deliveries its own
 * way: WireMock on the wire, exceptions and virtual delays in-process.
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, Delivery delivery) {

    /** How a connection can break. */
    public enum Break {
        /** TCP reset: the client sees "connection reset". */
        CONNECTION_RESET,
        /** The connection closes with no response at all. */
        EMPTY_RESPONSE,
        /** A chunked response whose chunk framing is wrong. */
        MALFORMED_CHUNK,
        /** Garbage bytes, then the connection closes. */
        RANDOM_DATA
    }

    /**
     * @param delay          wait before the first byte
     * @param dribbleChunks  when above 0, the body goes out in this many chunks spread over {@code dribbleOver}
     * @param broken         when set, the client gets this instead of the response
     */
    public record Delivery(Duration delay, int dribbleChunks, Duration dribbleOver, Break broken) {
        public static final Delivery NORMAL = new Delivery(Duration.ZERO, 0, Duration.ZERO, null);
    }

    public ApiResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        delivery = delivery == null ? Delivery.NORMAL : delivery;
    }

    public static ApiResponse of(int status, Map<String, String> headers, byte[] body) {
        return new ApiResponse(status, headers, body, Delivery.NORMAL);
    }

    public static ApiResponse json(int status, String json) {
        return of(status, Map.of("Content-Type", "application/json; charset=utf-8"), json.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body, delivery);
    }

    public ApiResponse delayedBy(Duration extra) {
        return new ApiResponse(status, headers, body,
                new Delivery(delivery.delay().plus(extra), delivery.dribbleChunks(), delivery.dribbleOver(), delivery.broken()));
    }

    public ApiResponse dribbled(int chunks, Duration over) {
        return new ApiResponse(status, headers, body, new Delivery(delivery.delay(), chunks, over, delivery.broken()));
    }

    public ApiResponse broken(Break how) {
        return new ApiResponse(status, headers, body,
                new Delivery(delivery.delay(), delivery.dribbleChunks(), delivery.dribbleOver(), how));
    }
}
