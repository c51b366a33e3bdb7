package dev.arcsim.sim;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireRequest;
import dev.arcsim.listener.wire.WireResponse;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The listener's transport straight into fake-github's handler: the client's request bytes go in, the answer's
 * bytes come back, with no socket. A fault's delivery is realised as what the JDK client would have made of it on
 * the wire: a delay waited out in the world's time (cut at the request's timeout, as a timeout), a dribbled body
 * delivered after its spread, and a broken connection as an {@link IOException}.
 */
public final class InProcessTransport implements Transport {

    /** The host the fake's URLs name; nothing listens there. */
    public static final String HOST = "fake-github.sim";

    private final FakeGitHub fake;
    private final Scheduler scheduler;

    public InProcessTransport(FakeGitHub fake, Scheduler scheduler) {
        this.fake = fake;
        this.scheduler = scheduler;
    }

    @Override
    public WireResponse send(WireRequest request) throws IOException, InterruptedException {
        if (!HOST.equals(request.uri().getHost())) {
            throw new java.net.ConnectException("nothing listens at " + request.uri().getHost() + " in the simulated world");
        }
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put("Host", HOST);
        String url = request.uri().getRawPath() + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery());
        ApiResponse response = fake.handle(ApiRequest.of(request.method(), url, headers, request.body()));
        ApiResponse.Delivery d = response.delivery();
        Duration wait = d.delay().plus(d.dribbleChunks() > 0 ? d.dribbleOver() : Duration.ZERO);
        Duration timeout = request.timeout() == null ? Duration.ofDays(1) : request.timeout();
        if (wait.compareTo(timeout) > 0) {
            scheduler.sleep(timeout);
            throw new HttpTimeoutException("request timed out after " + timeout.toMillis() + " ms");
        }
        if (!wait.isZero()) {
            scheduler.sleep(wait);
        }
        if (d.broken() == ApiResponse.Break.MALFORMED_CHUNK) {
            // the head went out with its status; the body then breaks, as on the wire
            throw new dev.arcsim.listener.wire.BodyReadException(response.status(), new IOException("malformed chunked body"));
        }
        if (d.broken() != null) {
            throw new IOException(switch (d.broken()) {
                case CONNECTION_RESET -> "Connection reset";
                case EMPTY_RESPONSE -> "HTTP/1.1 header parser received no bytes";
                case MALFORMED_CHUNK -> "malformed chunked body";
                case RANDOM_DATA -> "Invalid HTTP response";
            });
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        response.headers().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        return new WireResponse(response.status(), out, response.body());
    }
}
