package dev.arcsim.listener.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.state.Tenant;
import dev.arcsim.fake.time.SystemScheduler;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.app.LoggingEvents;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.scaling.Fabric8RunnerSets;
import dev.arcsim.listener.wire.JdkTransport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One test world: fake-github on loopback with compressed timings, a scale set on it, an EphemeralRunnerSet in the
 * mock API server, and listeners built from ARC-shaped config and run on their own threads.
 */
public final class World implements AutoCloseable {

    public static final String NAMESPACE = "arc-runners";
    public static final String RUNNER_SET = "arc-runner-set-abcde";
    public static final String PAT = "ghp_e2e_secret_token_0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeGitHubServer server;
    public final FakeGitHub fake;
    public final KubernetesClient kubernetes;
    public final long scaleSetId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Running> running = new ArrayList<>();

    /** A listener on its own thread, with the events it emitted. */
    public record Running(Listener listener, Thread thread, CompletableFuture<Integer> exit, List<String> events,
                          Metrics metrics) {
        public boolean eventSeen(String type) {
            return events.stream().anyMatch(e -> e.startsWith(type));
        }
    }

    public World(KubernetesClient kubernetes, String rulesJson) {
        this.kubernetes = kubernetes;
        this.fake = new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults());
        this.server = FakeGitHubServer.start(fake, 0);
        admin("PUT", "rules", rulesJson);
        Tenant tenant = fake.state().tenantFor("organization", "acme", "acme", null);
        this.scaleSetId = fake.state().createScaleSet(tenant, "arc-runner-set", null, null, null).id();
        GenericKubernetesResource ers = new GenericKubernetesResourceBuilder()
                .withApiVersion("actions.github.com/v1alpha1").withKind("EphemeralRunnerSet")
                .withNewMetadata().withName(RUNNER_SET).withNamespace(NAMESPACE).endMetadata()
                .addToAdditionalProperties("spec", Map.of("patchID", 0))
                .build();
        kubernetes.genericKubernetesResources(Fabric8RunnerSets.EPHEMERAL_RUNNER_SETS).inNamespace(NAMESPACE)
                .resource(ers).createOr(existing -> existing.update());
    }

    public String config(String policy, String policyParameters, int min, int max, String store) {
        return config(policy, policyParameters, min, max, store, "");
    }

    /** {@code extra}: more fields, each with a leading comma. */
    public String config(String policy, String policyParameters, int min, int max, String store, String extra) {
        return "{\"configure_url\":\"" + server.baseUrl() + "/acme\",\"github_token\":\"" + PAT + "\","
                + "\"ephemeral_runner_set_namespace\":\"" + NAMESPACE + "\",\"ephemeral_runner_set_name\":\"" + RUNNER_SET + "\","
                + "\"min_runners\":" + min + ",\"max_runners\":" + max + ",\"runner_scale_set_id\":" + scaleSetId + ","
                + "\"runner_scale_set_name\":\"arc-runner-set\",\"log_level\":\"debug\",\"log_format\":\"text\","
                + "\"arcsim_policy\":\"" + policy + "\",\"arcsim_policy_parameters\":" + policyParameters + ","
                + "\"arcsim_state_store\":\"" + store + "\",\"arcsim_request_timeout_seconds\":30" + extra + "}";
    }

    /** Resilient with short waits, so tests ride out faults in seconds. */
    public static final String FAST_RESILIENT = "{\"baseSeconds\":0.2,\"capSeconds\":1,\"escalateAfterSeconds\":60}";

    public Running start(String configJson, String owner) {
        ListenerConfig config = ListenerConfig.parse(configJson, "test-config.json");
        List<String> events = new CopyOnWriteArrayList<>();
        ListenerEvents recorder = (type, fields) -> events.add(type + " " + fields);
        ListenerApp.Wiring wiring = new ListenerApp.Wiring(new RecordingTransport(new JdkTransport("", Map.of())), kubernetes,
                new Fabric8RunnerSets(kubernetes), ListenerApp.store(config, kubernetes),
                new dev.arcsim.listener.time.SystemScheduler(), recorder.andThen(new LoggingEvents()), owner);
        Metrics metrics = new Metrics();
        Listener listener = ListenerApp.build(config, wiring, metrics);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                exit.complete(listener.run());
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "listener-" + owner);
        t.setDaemon(true);
        t.start();
        Running r = new Running(listener, t, exit, events, metrics);
        running.add(r);
        return r;
    }

    public Integer replicas() {
        GenericKubernetesResource ers = kubernetes.genericKubernetesResources(Fabric8RunnerSets.EPHEMERAL_RUNNER_SETS)
                .inNamespace(NAMESPACE).withName(RUNNER_SET).get();
        Object spec = ers.getAdditionalProperties().get("spec");
        Object replicas = spec instanceof Map<?, ?> m ? m.get("replicas") : null;
        return replicas == null ? 0 : ((Number) replicas).intValue();
    }

    public int patchId() {
        GenericKubernetesResource ers = kubernetes.genericKubernetesResources(Fabric8RunnerSets.EPHEMERAL_RUNNER_SETS)
                .inNamespace(NAMESPACE).withName(RUNNER_SET).get();
        return ((Number) ((Map<?, ?>) ers.getAdditionalProperties().get("spec")).get("patchID")).intValue();
    }

    public void queueJobs(int count) {
        admin("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\",\"count\":" + count + "}");
    }

    public JsonNode admin(String method, String path, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/_arcsim/" + path))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError("admin " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The journal entries for one endpoint, oldest first. */
    public List<Journal.Entry> journal(String endpoint) {
        return fake.journal().since(0).stream().filter(e -> e.endpoint().equals(endpoint)).toList();
    }

    public List<Journal.Entry> journal() {
        return fake.journal().since(0);
    }

    public int liveSessions() {
        return fake.state().snapshot().sessions().size();
    }

    @Override
    public void close() {
        for (Running r : running) {
            r.listener().abandon();
        }
        for (Running r : running) {
            try {
                r.thread().join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.close();
        kubernetes.leases().inNamespace(NAMESPACE).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> kubernetes.leases().inNamespace(NAMESPACE).list().getItems().isEmpty());
    }
}
