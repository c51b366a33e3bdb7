package dev.arcsim.world;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ARC's four CRDs as the build generated them from arcsim's CRD classes, and how they are put into an API server. */
public final class ArcCrds {

    public static final List<String> PLURALS = List.of("autoscalingrunnersets", "autoscalinglisteners", "ephemeralrunnersets",
            "ephemeralrunners");

    private ArcCrds() {
    }

    public static List<CustomResourceDefinition> all() {
        return PLURALS.stream().map(plural -> {
            String resource = "/META-INF/fabric8/" + plural + ".actions.github.com-v1.yml";
            try (InputStream in = ArcCrds.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the CRD " + resource + " is not on the classpath");
                }
                return Serialization.unmarshal(in, CustomResourceDefinition.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** CRDs from YAML files (ARC's own, as its chart ships them in {@code crds/}). */
    public static List<CustomResourceDefinition> read(List<java.nio.file.Path> files) {
        return files.stream().map(file -> {
            try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                return Serialization.unmarshal(in, CustomResourceDefinition.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CRD " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " is not a CustomResourceDefinition: " + e.getMessage(), e);
            }
        }).toList();
    }

    /** Creates (or updates) arcsim's; with {@code awaitEstablished}, returns once a real API server serves each. */
    public static void install(KubernetesClient client, boolean awaitEstablished) {
        install(client, all(), awaitEstablished);
    }

    /**
     * Creates (or updates) {@code crds}; with {@code awaitEstablished}, returns once a real API server serves each. A
     * CRD's status can come without conditions for a moment (seen with four control planes starting side by side).
     */
    public static void install(KubernetesClient client, List<CustomResourceDefinition> crds, boolean awaitEstablished) {
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(existing -> existing.update());
        }
        if (awaitEstablished) {
            for (CustomResourceDefinition crd : crds) {
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream()
                                .anyMatch(k -> k.getType().equals("Established") && k.getStatus().equals("True")), 30, TimeUnit.SECONDS);
            }
        }
    }
}
