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
            retrying("connect", null, 200);
            while (!stopping) {
                WireResponse job = retrying("job", null, 200);
                if (job.status() == 204) {
                    continue;  // no job yet: wait again, as an idle runner does
                }
                JsonNode j = JSON.readTree(job.text());
                scheduler.sleep(Duration.ofSeconds(j.path("durationSeconds").asLong()));
                retrying("complete", "{\"runnerRequestId\":" + j.path("runnerRequestId").asLong() + ",\"result\":\"succeeded\"}", 204);
                return 0;
            }
            return 143;
        } catch (IOException e) {
            return 1;
        }
    }

    /**
     * One runner call, retried as the runner retries its calls to the service: on a broken connection, a 5xx or a
     * 429 or a success answer that is not the one expected (a garbled reply: the call may not have happened), after
     * 1, 2, 4 ... (at most 10) seconds, for up to {@link #GIVE_UP_AFTER}; any other answer fails the runner.
     */
    private WireResponse retrying(String action, String body, int expected) throws IOException, InterruptedException {
        java.time.Instant giveUp = scheduler.now().plus(GIVE_UP_AFTER);
        long delay = 1;
        while (true) {
            String problem;
            try {
                WireResponse r = call(action, body);
                if (r.status() == expected || r.status() == 204) {
                    return r;
                }
                if (r.status() < 500 && r.status() != 429 && r.status() / 100 != 2) {
                    throw new IOException("runner call " + action + " answered " + r.status());
                }
                problem = "answered " + r.status();
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("runner call ")) {
                    throw e;
                }
                problem = e.toString();
            }
            if (stopping || !scheduler.now().plusSeconds(delay).isBefore(giveUp)) {
                throw new IOException("runner call " + action + " gave up: " + problem);
            }
            scheduler.sleep(Duration.ofSeconds(delay));
            delay = Math.min(10, delay * 2);
        }
    }

    /** How long a runner keeps retrying one call before it fails. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    private WireResponse call(String action, String body) throws IOException, InterruptedException {
        return transport.send(new WireRequest("POST", URI.create(serverUrl + "_apis/arcsim/runner/" + action),
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5)));
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
