package dev.arcsim.fake.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Serves a {@link FakeGitHub} over HTTP on 127.0.0.1 with WireMock as the engine. One catch-all stub hands every
 * request to the fake's handler; the answer's delivery becomes WireMock's delay, chunked dribble or fault.
 *
 * <p>Long polls park a server thread each, so the thread pool is sized for them ({@code threads}).
 */
public final class FakeGitHubServer implements AutoCloseable {

    private static final String TRANSFORMER = "arcsim-fake-github";

    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final Duration WRITE_GRACE = Duration.ofMillis(500);

    private final FakeGitHub fake;
    private final String bindAddress;
    private final WireMockServer server;
    /** [0]: requests inside the fake's handler; [1]: answers handed to WireMock and not yet reported sent. */
    private final int[] inFlight = {0, 0};

    public FakeGitHubServer(FakeGitHub fake, int port, int threads) {
        this(fake, "127.0.0.1", port, threads);
    }

    /** @param bindAddress 127.0.0.1 unless the fake must be reachable from elsewhere (a pod behind a Service) */
    public FakeGitHubServer(FakeGitHub fake, String bindAddress, int port, int threads) {
        this.fake = fake;
        this.bindAddress = bindAddress;
        this.server = new WireMockServer(options()
                .bindAddress(bindAddress)
                .port(port)
                .jettyAcceptors(1)
                // graceful stop: lets the answers of polls ended by close() reach their clients
                .jettyStopTimeout(5_000L)
                .containerThreads(Math.max(threads, 8))
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .notifier(new Slf4jNotifier(false))
                .extensions(new Transformer(), new CompletionListener()));
    }

    public static FakeGitHubServer start(FakeGitHub fake, int port) {
        FakeGitHubServer s = new FakeGitHubServer(fake, port, 200);
        s.start();
        return s;
    }

    public void start() {
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://" + ("0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress) + ":" + server.port();
    }

    public FakeGitHub fake() {
        return fake;
    }

    /**
     * Ends parked long polls (they answer 503), waits (at most 5 s) until no request is inside the fake's handler,
     * gives answers being written a short grace, then stops. WireMock does not report an answer whose client left,
     * so that grace is bounded rather than exact.
     */
    @Override
    public void close() {
        fake.state().close();
        awaitZero(0, DRAIN);
        awaitZero(1, WRITE_GRACE);
        server.stop();
    }

    private void awaitZero(int counter, Duration bound) {
        synchronized (inFlight) {
            Instant deadline = fake.scheduler().now().plus(bound);
            while (inFlight[counter] > 0) {
                long left = Duration.between(fake.scheduler().now(), deadline).toMillis();
                if (left <= 0) {
                    return;
                }
                try {
                    inFlight.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void count(int counter, int delta) {
        synchronized (inFlight) {
            inFlight[counter] += delta;
            inFlight.notifyAll();
        }
    }

    /** Marks an answer as fully sent (or failed), for {@link #close()}. */
    private final class CompletionListener implements ServeEventListener {
        @Override
        public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
            count(1, -1);
        }

        @Override
        public String getName() {
            return "arcsim-completion";
        }
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpHeader h : request.getHeaders().all()) {
                headers.put(h.key(), h.firstValue());
            }
            ApiRequest apiRequest = ApiRequest.of(request.getMethod().getName(), request.getUrl(), headers, request.getBody());
            count(0, 1);
            ApiResponse answer;
            try {
                answer = fake.handle(apiRequest);
            } finally {
                count(0, -1);
            }
            count(1, 1);
            return toWireMock(answer);
        }

        @Override
        public String getName() {
            return TRANSFORMER;
        }
    }

    static ResponseDefinition toWireMock(ApiResponse response) {
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition().withStatus(response.status());
        response.headers().forEach(builder::withHeader);
        ApiResponse.Delivery delivery = response.delivery();
        boolean dribbled = delivery.dribbleChunks() > 0 && response.body().length > 0;
        if (response.status() != 204 && response.status() != 304 && delivery.broken() == null && !dribbled) {
            // Legacy ARC maps a zero Content-Length to "unknown exception": say how long the body is, except when
            // the body is dribbled, which goes out chunked (Content-Length -1, which ARC reads).
            builder.withHeader("Content-Length", Integer.toString(response.body().length));
        }
        builder.withBody(response.body());
        long delayMs = delivery.delay().toMillis();
        if (delayMs > 0) {
            builder.withFixedDelay((int) Math.min(Integer.MAX_VALUE, delayMs));
        }
        if (dribbled) {
            builder.withChunkedDribbleDelay(Math.min(delivery.dribbleChunks(), response.body().length),
                    (int) Math.min(Integer.MAX_VALUE, delivery.dribbleOver().toMillis()));
        }
        if (delivery.broken() != null) {
            builder.withFault(switch (delivery.broken()) {
                case CONNECTION_RESET -> Fault.CONNECTION_RESET_BY_PEER;
                case EMPTY_RESPONSE -> Fault.EMPTY_RESPONSE;
                case MALFORMED_CHUNK -> Fault.MALFORMED_RESPONSE_CHUNK;
                case RANDOM_DATA -> Fault.RANDOM_DATA_THEN_CLOSE;
            });
        }
        return builder.build();
    }
}
