package dev.arcsim.listener.ops;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics in Prometheus text with ARC's names, liveness, and readiness tied to a live session. */
class OpsServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsHealthAndReadiness() throws Exception {
        Metrics metrics = new Metrics();
        Map<String, String> labels = Map.of("name", "arc-runner-set", "namespace", "arc");
        metrics.set("gha_assigned_jobs", "Number of jobs assigned.", labels, 3);
        metrics.inc("gha_started_jobs_total", "Total number of jobs started.", Map.of("repository", "app"), 1);
        metrics.observe("gha_job_startup_duration_seconds", "Startup.", Map.of("repository", "app"), 4);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OpsServer ops = new OpsServer("127.0.0.1:0", "/metrics", metrics, ready::get)) {
            String scrape = get(ops.port(), "/metrics").body();
            assertTrue(scrape.contains("# TYPE gha_assigned_jobs gauge\ngha_assigned_jobs{name=\"arc-runner-set\",namespace=\"arc\"} 3\n"), scrape);
            assertTrue(scrape.contains("gha_started_jobs_total{repository=\"app\"} 1\n"), scrape);
            assertTrue(scrape.contains("gha_job_startup_duration_seconds_bucket{repository=\"app\",le=\"3\"} 0\n"), scrape);
            assertTrue(scrape.contains("gha_job_startup_duration_seconds_bucket{repository=\"app\",le=\"4\"} 1\n"), scrape);
            assertTrue(scrape.contains("gha_job_startup_duration_seconds_count{repository=\"app\"} 1\n"), scrape);
            assertEquals(45, Metrics.ARC_BUCKETS.length);
            assertEquals(200, get(ops.port(), "/healthz").statusCode());
            assertEquals(503, get(ops.port(), "/readyz").statusCode());
            ready.set(true);
            assertEquals(200, get(ops.port(), "/readyz").statusCode());
        }
    }
}
