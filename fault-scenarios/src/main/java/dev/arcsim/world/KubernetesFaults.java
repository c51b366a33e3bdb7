package dev.arcsim.world;

import dev.arcsim.listener.loop.ListenerEvents;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults in front of a Kubernetes API server: while a fault is in force, matching requests get its status (a
 * Kubernetes {@code Status} body) instead of reaching the server, as an overloaded or conflicting API server would
 * answer them. Each refused request is reported as {@code fault-injected}. The embedded mock asks through
 * {@link #crudStore}; a real API server sits behind {@link dev.arcsim.world.real.FaultFront}, which asks
 * {@link #refuse}.
 */
public final class KubernetesFaults {

    /**
     * @param verbs     HTTP methods hit; empty: every write (POST, PUT, PATCH, DELETE)
     * @param resources resource plurals hit; empty: all
     */
    public record Fault(String id, int status, Set<String> verbs, Set<String> resources, double probability) {
    }

    /** What a refused request is answered. */
    public record Refusal(int status, String body) {
    }

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final List<Fault> active = new CopyOnWriteArrayList<>();
    private final SplittableRandom random;
    private final ListenerEvents events;

    public KubernetesFaults(long seed, ListenerEvents events) {
        this.random = new SplittableRandom(seed);
        this.events = events;
    }

    public void add(Fault fault) {
        active.add(fault);
    }

    public void remove(String id) {
        active.removeIf(f -> f.id().equals(id));
    }

    /** The refusal a fault in force gives this request, if one hits it. */
    public Optional<Refusal> refuse(String method, String path) {
        if (active.isEmpty()) {
            return Optional.empty();
        }
        String verb = method.toUpperCase(Locale.ROOT);
        String resource = resource(path);
        for (Fault f : active) {
            boolean verbHit = f.verbs().isEmpty() ? WRITES.contains(verb) : f.verbs().contains(verb);
            boolean kind = f.resources().isEmpty() || f.resources().contains(resource);
            if (verbHit && kind && draw() < f.probability()) {
                events.emit("fault-injected", Map.of("fault", f.id(), "kind", "kubernetes-" + f.status(),
                        "verb", verb, "resource", resource));
                return Optional.of(new Refusal(f.status(), "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"" + reason(f.status()) + "\",\"message\":\"arcsim: injected " + f.status()
                        + "\",\"code\":" + f.status() + "}"));
            }
        }
        return Optional.empty();
    }

    /** The embedded mock's CRUD store behind these faults, for the mock web server {@code served}. */
    public KubernetesCrudDispatcher crudStore(io.fabric8.mockwebserver.MockWebServer served) {
        return new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                EmbeddedApiServer.forgetServed(served);
                return refuse(request.getMethod(), request.getPath())
                        .map(r -> new MockResponse().setResponseCode(r.status()).addHeader("Content-Type", "application/json")
                                .setBody(r.body()))
                        .orElseGet(() -> super.dispatch(request));
            }
        };
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
    public static String resource(String path) {
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
