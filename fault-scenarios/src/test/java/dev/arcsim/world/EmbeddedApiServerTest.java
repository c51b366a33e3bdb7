package dev.arcsim.world;

import dev.arcsim.world.tls.ClusterCa;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kube serve --tls}: HTTPS with the run's CA, and a kubeconfig a client needs nothing else for. */
class EmbeddedApiServerTest {

    @Test
    void aClientFromTheKubeconfigAloneTrustsTheServerOverHttps(@TempDir Path dir) throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0, ClusterCa.create(Instant.parse("2026-12-02T00:00:00Z")))) {
            assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
            Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig.yaml"));
            assertTrue(Files.readString(kubeconfig).contains("certificate-authority-data: "), Files.readString(kubeconfig));

            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                assertEquals(4, client.apiextensions().v1().customResourceDefinitions().list().getItems().size(),
                        "ARC's four CRDs, read over HTTPS");
            }

            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.url() + "/version")).timeout(Duration.ofSeconds(5)).build();
            assertThrows(SSLHandshakeException.class, () -> untrusting.send(get, HttpResponse.BodyHandlers.ofString()),
                    "a client without the run's CA does not trust the server");
        }
    }

    @Test
    void withoutTlsItServesPlainHttpAndTheKubeconfigHasNoCa(@TempDir Path dir) throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
            assertTrue(!Files.readString(server.writeKubeconfig(dir.resolve("k.yaml"))).contains("certificate-authority"));
        }
    }

    /** Found by arcsim bench --soak: the mock kept every request it served, 68,000 in nine minutes of a loop. */
    @Test
    void theServerDoesNotKeepTheRequestsItServed() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
            for (int i = 0; i < 300; i++) {
                server.client().pods().inNamespace("default").list();
            }
            int kept = server.requestsKeptForgetting();
            org.junit.jupiter.api.Assertions.assertTrue(kept <= 8, kept + " of 300 requests are still kept");
        }
    }
}
