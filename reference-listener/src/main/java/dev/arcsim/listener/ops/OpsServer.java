package dev.arcsim.listener.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code metrics_endpoint} (Prometheus text), {@code /healthz} (the process is alive) and {@code /readyz}
 * (the listener holds a live session and its last poll succeeded) on {@code metrics_addr}, e.g. {@code :8080}.
 */
public final class OpsServer implements AutoCloseable {

    private final HttpServer server;

    public OpsServer(String address, String metricsEndpoint, Metrics metrics, BooleanSupplier ready) throws IOException {
        server = HttpServer.create(parse(address), 16);
        server.createContext(metricsEndpoint.isEmpty() ? "/metrics" : metricsEndpoint,
                ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            boolean ok = ready.getAsBoolean();
            reply(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready: no live session\n");
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Go's listen address form: {@code :8080}, {@code 127.0.0.1:0}, {@code host:port}. */
    static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("metrics_addr must look like :8080 or host:port, got \"" + address + "\"");
        }
        String host = address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics_addr has no valid port: \"" + address + "\"");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
