package dev.arcsim.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.world.tls.ClusterCa;
import dev.arcsim.world.tls.TlsFront;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded Kubernetes API server: fabric8's mock in CRUD mode, with ARC's CRDs installed, plus the discovery
 * documents ({@code /api}, {@code /apis}, the resource lists, {@code /version}) that kubectl reads first and the mock
 * does not serve. Not served: OpenAPI documents (so {@code kubectl apply} needs {@code --validate=false}),
 * server-side apply, strategic merge patch, field selectors, and garbage collection of owned objects.
 */
public final class EmbeddedApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final int port;
    private final ClusterCa ca;
    private final TlsFront tls;

    private EmbeddedApiServer(int port, ClusterCa ca) throws IOException {
        MockWebServer web = new MockWebServer();
        this.server = new KubernetesMockServer(new Context(), web, new HashMap<>(), new DiscoveryDispatcher(web), false);
        // with TLS the mock serves plain HTTP on an ephemeral loopback port, behind the HTTPS front on the asked one
        server.init(InetAddress.getByName("127.0.0.1"), ca == null ? port : 0);
        this.client = server.createClient();
        int plain = java.net.URI.create(client.getMasterUrl().toString()).getPort();
        this.ca = ca;
        try {
            this.tls = ca == null ? null : TlsFront.start(ca, port, plain);
        } catch (RuntimeException e) {
            client.close();
            server.destroy();
            throw e;
        }
        this.port = tls == null ? plain : tls.port();
        ArcCrds.install(client, false);
    }

    /** Plain HTTP on 127.0.0.1:{@code port} (0: a free one). */
    public static EmbeddedApiServer start(int port) {
        return start(port, null);
    }

    /**
     * @param ca when given, the server is served over HTTPS with this CA's certificate (for clients that insist on
     *           TLS, as kubectl with a CA and Kubernetes in-cluster configs do), and the kubeconfig carries the CA
     */
    public static EmbeddedApiServer start(int port, ClusterCa ca) {
        try {
            return new EmbeddedApiServer(port, ca);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded API server: " + e.getMessage(), e);
        }
    }

    /** A client on the plain-HTTP side, for arcsim's own use. */
    /**
     * The mock web server keeps every request it served, bodies and all, for a test to take; nothing here takes them,
     * so over a long run (a controller listing every 200 ms for an hour) they were most of the heap's growth
     * (arcsim bench --soak). A dispatcher calls this for each request it serves: up to eight kept ones are forgotten.
     */
    static void forgetServed(MockWebServer web) {
        try {
            for (int i = 0; i < 8 && web.takeRequest(0, java.util.concurrent.TimeUnit.NANOSECONDS) != null; i++) {
                // forgotten
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many served requests the mock still keeps; counting them forgets them. */
    int requestsKeptForgetting() throws InterruptedException {
        int kept = 0;
        while (server.takeRequest(0, java.util.concurrent.TimeUnit.NANOSECONDS) != null) {
            kept++;
        }
        return kept;
    }

    public KubernetesClient client() {
        return client;
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    /** A kubeconfig for kubectl and other clients, pointing at this server. */
    public Path writeKubeconfig(Path file) throws IOException {
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: arcsim
                  cluster:
                    server: %s%s
                contexts:
                - name: arcsim
                  context:
                    cluster: arcsim
                    user: arcsim
                    namespace: arc-runners
                current-context: arcsim
                users:
                - name: arcsim
                  user:
                    token: arcsim-embedded
                """.formatted(url(), ca == null ? "" : "\n    certificate-authority-data: "
                + java.util.Base64.getEncoder().encodeToString(ca.caPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, config);
        return file;
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
        client.close();
        server.destroy();
    }

    /** CRUD for everything, plus the discovery documents kubectl needs before its first real request. */
    private static final class DiscoveryDispatcher extends KubernetesCrudDispatcher {

        private final MockWebServer web;

        DiscoveryDispatcher(MockWebServer web) {
            this.web = web;
        }

        @Override
        public MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
            forgetServed(web);
            return super.dispatch(request);
        }

        private static final Map<String, List<String[]>> RESOURCES = Map.of(
                "v1", List.of(
                        r("pods", "Pod", true, "po"), r("pods/status", "Pod", true, null), r("secrets", "Secret", true, null),
                        r("serviceaccounts", "ServiceAccount", true, "sa"), r("configmaps", "ConfigMap", true, "cm"),
                        r("services", "Service", true, "svc"), r("namespaces", "Namespace", false, "ns"),
                        r("events", "Event", true, "ev")),
                "actions.github.com/v1alpha1", List.of(
                        r("autoscalingrunnersets", "AutoscalingRunnerSet", true, null),
                        r("autoscalingrunnersets/status", "AutoscalingRunnerSet", true, null),
                        r("autoscalinglisteners", "AutoscalingListener", true, null),
                        r("autoscalinglisteners/status", "AutoscalingListener", true, null),
                        r("ephemeralrunnersets", "EphemeralRunnerSet", true, null),
                        r("ephemeralrunnersets/status", "EphemeralRunnerSet", true, null),
                        r("ephemeralrunners", "EphemeralRunner", true, null),
                        r("ephemeralrunners/status", "EphemeralRunner", true, null)),
                "rbac.authorization.k8s.io/v1", List.of(
                        r("roles", "Role", true, null), r("rolebindings", "RoleBinding", true, null),
                        r("clusterroles", "ClusterRole", false, null), r("clusterrolebindings", "ClusterRoleBinding", false, null)),
                "coordination.k8s.io/v1", List.<String[]>of(r("leases", "Lease", true, null)),
                "apps/v1", List.<String[]>of(r("deployments", "Deployment", true, "deploy")),
                "networking.k8s.io/v1", List.<String[]>of(r("networkpolicies", "NetworkPolicy", true, "netpol")),
                "apiextensions.k8s.io/v1", List.<String[]>of(r("customresourcedefinitions", "CustomResourceDefinition", false, "crd,crds")));

        private static String[] r(String name, String kind, boolean namespaced, String shortNames) {
            return new String[] {name, kind, Boolean.toString(namespaced), shortNames};
        }

        /** kubectl's typed generators (create secret, create deployment) send protobuf; manifests go as JSON. */
        private static MockResponse refuseProtobuf(io.fabric8.mockwebserver.http.RecordedRequest request) {
            String type = request.getHeader("Content-Type");
            if (type == null || !type.contains("protobuf")) {
                return null;
            }
            return new MockResponse().setResponseCode(415).addHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"UnsupportedMediaType\","
                            + "\"message\":\"the embedded API server reads JSON only; use kubectl apply -f or create -f with a manifest\","
                            + "\"code\":415}");
        }

        @Override
        public MockResponse handleCreate(io.fabric8.mockwebserver.http.RecordedRequest request) {
            MockResponse refused = refuseProtobuf(request);
            return refused != null ? refused : super.handleCreate(request);
        }

        @Override
        public MockResponse handleUpdate(io.fabric8.mockwebserver.http.RecordedRequest request) {
            MockResponse refused = refuseProtobuf(request);
            return refused != null ? refused : super.handleUpdate(request);
        }

        @Override
        public MockResponse handleGet(String path) {
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            bare = bare.endsWith("/") && bare.length() > 1 ? bare.substring(0, bare.length() - 1) : bare;
            String body = switch (bare) {
                case "/version" -> "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-arcsim-embedded\",\"platform\":\"linux/amd64\"}";
                case "/api" -> "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                        + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}";
                case "/apis" -> groups();
                case "/api/v1" -> resources("v1");
                default -> bare.startsWith("/apis/") && RESOURCES.containsKey(bare.substring("/apis/".length()))
                        ? resources(bare.substring("/apis/".length())) : null;
            };
            if (body != null) {
                return new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/json").setBody(body);
            }
            if (bare.startsWith("/openapi")) {
                return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"status\":\"Failure\","
                        + "\"message\":\"the embedded API server has no OpenAPI documents; use kubectl apply --validate=false\","
                        + "\"code\":404}");
            }
            return super.handleGet(path);
        }

        private static String groups() {
            ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = list.putArray("groups");
            RESOURCES.keySet().stream().filter(gv -> gv.contains("/")).sorted().forEach(gv -> {
                String[] p = gv.split("/");
                ObjectNode g = groups.addObject().put("name", p[0]);
                g.putArray("versions").addObject().put("groupVersion", gv).put("version", p[1]);
                g.putObject("preferredVersion").put("groupVersion", gv).put("version", p[1]);
            });
            return list.toString();
        }

        private static String resources(String groupVersion) {
            ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                    .put("groupVersion", groupVersion);
            ArrayNode items = list.putArray("resources");
            for (String[] r : RESOURCES.get(groupVersion)) {
                ObjectNode n = items.addObject().put("name", r[0])
                        .put("singularName", r[0].contains("/") ? "" : r[1].toLowerCase())
                        .put("namespaced", Boolean.parseBoolean(r[2])).put("kind", r[1]);
                ArrayNode verbs = n.putArray("verbs");
                (r[0].contains("/") ? List.of("get", "patch", "update")
                        : List.of("create", "delete", "get", "list", "patch", "update", "watch")).forEach(verbs::add);
                if (r[3] != null) {
                    ArrayNode shorts = n.putArray("shortNames");
                    for (String s : r[3].split(",")) {
                        shorts.add(s);
                    }
                }
            }
            return list.toString();
        }
    }
}
