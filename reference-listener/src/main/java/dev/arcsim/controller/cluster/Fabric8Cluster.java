package dev.arcsim.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Optional;

/** {@link Cluster} over a fabric8 client: a real cluster, or the embedded API server. */
public final class Fabric8Cluster implements Cluster {

    private final KubernetesClient client;

    public Fabric8Cluster(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
        return namespace == null ? client.resources(type).inAnyNamespace().list().getItems()
                : client.resources(type).inNamespace(namespace).list().getItems();
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
    }

    @Override
    public <T extends HasMetadata> T create(T resource) {
        return guard(() -> client.resource(resource).create());
    }

    @Override
    public <T extends HasMetadata> T update(T resource) {
        return guard(() -> client.resource(resource).update());
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T resource) {
        return guard(() -> client.resource(resource).updateStatus());
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name) {
        client.resources(type).inNamespace(namespace).withName(name).delete();
    }

    private static <T> T guard(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new Conflict(e.getMessage());
            }
            throw e;
        }
    }
}
