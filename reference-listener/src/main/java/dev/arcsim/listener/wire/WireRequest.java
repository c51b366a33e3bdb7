package dev.arcsim.listener.wire;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One HTTP request as the client builds it; {@code headers} may hold credentials and are never logged. */
public record WireRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {

    public WireRequest {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** What may be logged about a request: the method and the URL without its query. */
    public String describe() {
        return method + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }
}
