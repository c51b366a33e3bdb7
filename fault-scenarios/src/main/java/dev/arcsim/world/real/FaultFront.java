package dev.arcsim.world.real;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.arcsim.world.KubernetesFaults;
import dev.arcsim.world.tls.ClusterCa;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * HTTPS on loopback in front of a real API server, with the server's own certificate, so clients cannot tell it
 * from the server: each request either gets a refusal from {@link KubernetesFaults} or is passed on as it came (its
 * token too, so RBAC still judges it) and the answer streamed back (watches included). With no fault in force it
 * only forwards.
 */
public final class FaultFront implements AutoCloseable {

    /** Hop-by-hop headers, and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpsServer server;
    private final HttpClient upstream;
    private final URI target;
    private final KubernetesFaults faults;

    private FaultFront(ClusterCa ca, String targetUrl, KubernetesFaults faults) throws IOException {
        this.target = URI.create(targetUrl);
        this.faults = faults;
        this.upstream = HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = HttpsServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
        server.setExecutor(task -> Thread.ofVirtual().name("fault-front").start(task));
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param targetUrl the real API server, whose certificate {@code ca} issued */
    public static FaultFront start(ClusterCa ca, String targetUrl, KubernetesFaults faults) {
        try {
            return new FaultFront(ca, targetUrl, faults);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault front: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "https://127.0.0.1:" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Optional<KubernetesFaults.Refusal> refused = faults.refuse(method, pathAndQuery);
            if (refused.isPresent()) {
                byte[] body = refused.get().body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(refused.get().status(), body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(pathAndQuery))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                String why = (e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                        .replace("\\", "\\\\").replace("\"", "\\\"");
                byte[] b = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"ServiceUnavailable\","
                        + "\"message\":\"arcsim fault front: the API server did not answer (" + why + ")\",\"code\":503}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(503, b.length);
                exchange.getResponseBody().write(b);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            int status = response.statusCode();
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
            exchange.sendResponseHeaders(status, noBody ? -1 : 0);
            try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[16 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();   // a watch's events go out as they come
                }
            }
        } catch (IOException e) {
            // the client went away (a watch closed, a run ending): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        upstream.close();
    }
}
