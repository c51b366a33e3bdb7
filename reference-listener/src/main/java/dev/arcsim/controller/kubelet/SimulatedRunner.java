package dev.arcsim.controller.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireRequest;
import dev.arcsim.listener.wire.WireResponse;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A runner that does what an ephemeral runner does, as far as the service can tell: it reads its JIT config,
 * comes online, waits for the job assigned to its scale set, runs it for the job's duration, reports it done and
 * exits 0. It speaks arcsim's runner endpoints on the fake (the real runner protocol is out of scope).
 */
public final class SimulatedRunner implements PodProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Transport transport;
    private final Scheduler scheduler;
    private final String serverUrl;
    private final String token;
    private volatile boolean stopping;

    public SimulatedRunner(Transport transport, Scheduler scheduler, String encodedJitConfig) {
        this.transport = transport;
        this.scheduler = scheduler;
        try {
            JsonNode files = JSON.readTree(Base64.getDecoder().decode(encodedJitConfig));
            JsonNode runner = JSON.readTree(Base64.getDecoder().decode(files.path(".runner").asText()));
            JsonNode credentials = JSON.readTree(Base64.getDecoder().decode(files.path(".credentials").asText()));
            String url = runner.path("serverUrl").asText();
            this.serverUrl = url.endsWith("/") ? url : url + "/";
            this.token = credentials.path("data").path("token").asText();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JIT config is not one this runner can read");
        }
    }

    @Override
    public int run() throws InterruptedException {
        try {
            expect(call("connect", null), 200);
            while (!stopping) {
                WireResponse job = call("job", null);
                if (job.status() == 204) {
                    continue;  // no job yet: wait again, as an idle runner does
                }
                expect(job, 200);
                JsonNode j = JSON.readTree(job.text());
                scheduler.sleep(Duration.ofSeconds(j.path("durationSeconds").asLong()));
                expect(call("complete", "{\"runnerRequestId\":" + j.path("runnerRequestId").asLong() + ",\"result\":\"succeeded\"}"), 204);
                return 0;
            }
            return 143;
        } catch (IOException e) {
            return 1;
        }
    }

    private WireResponse call(String action, String body) throws IOException, InterruptedException {
        return transport.send(new WireRequest("POST", URI.create(serverUrl + "_apis/arcsim/runner/" + action),
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5)));
    }

    private static void expect(WireResponse r, int status) throws IOException {
        if (r.status() != status) {
            throw new IOException("runner call answered " + r.status());
        }
    }

    @Override
    public void terminate() {
        stopping = true;
    }

    @Override
    public void kill() {
        stopping = true;
    }
}
