package dev.arcsim.world;

import dev.arcsim.listener.loop.ListenerEvents;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The embedded API server's CRUD store with faults in front of it: while a fault is in force, matching requests get
 * its status (a Kubernetes {@code Status} body) instead of reaching the store, as an overloaded or conflicting API
 * server would answer them. Each refused request is reported as {@code fault-injected}.
 */
final class KubernetesFaults extends KubernetesCrudDispatcher {

    /**
     * @param verbs     HTTP methods hit; empty: every write (POST, PUT, PATCH, DELETE)
     * @param resources resource plurals hit; empty: all
     */
    record Fault(String id, int status, Set<String> verbs, Set<String> resources, double probability) {
    }

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final List<Fault> active = new CopyOnWriteArrayList<>();
    private final SplittableRandom random;
    private final ListenerEvents events;

    KubernetesFaults(long seed, ListenerEvents events) {
        this.random = new SplittableRandom(seed);
        this.events = events;
    }

    void add(Fault fault) {
        active.add(fault);
    }

    void remove(String id) {
        active.removeIf(f -> f.id().equals(id));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!active.isEmpty()) {
            String method = request.getMethod().toUpperCase(Locale.ROOT);
            String resource = resource(request.getPath());
            for (Fault f : active) {
                boolean verb = f.verbs().isEmpty() ? WRITES.contains(method) : f.verbs().contains(method);
                boolean kind = f.resources().isEmpty() || f.resources().contains(resource);
                if (verb && kind && draw() < f.probability()) {
                    events.emit("fault-injected", Map.of("fault", f.id(), "kind", "kubernetes-" + f.status(),
                            "verb", method, "resource", resource));
                    return new MockResponse().setResponseCode(f.status()).addHeader("Content-Type", "application/json")
                            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\""
                                    + reason(f.status()) + "\",\"message\":\"arcsim: injected " + f.status()
                                    + "\",\"code\":" + f.status() + "}");
                }
            }
        }
        return super.dispatch(request);
    }

    private synchronized double draw() {
        return random.nextDouble();
    }

    private static String reason(int status) {
        return switch (status) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 404 -> "NotFound";
            case 503 -> "ServiceUnavailable";
            default -> "InternalError";
        };
    }

    /** The resource plural a path names: {@code /apis/g/v/namespaces/ns/PLURAL/name/status} or {@code /api/v1/PLURAL}. */
    static String resource(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] parts = bare.split("/");
        for (int i = 0; i + 2 < parts.length; i++) {
            if (parts[i].equals("namespaces")) {
                return parts[i + 2];
            }
        }
        int versionAt = bare.startsWith("/api/") ? 2 : 3;
        return parts.length > versionAt + 1 ? parts[versionAt + 1] : "";
    }
}
