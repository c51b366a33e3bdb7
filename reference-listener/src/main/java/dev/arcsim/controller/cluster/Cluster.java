package dev.arcsim.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/**
 * What the reconcilers can do to a cluster, and nothing more. Objects are fabric8's model classes (plain data); the
 * client behind them is hidden, so an in-memory store can stand in for the API server in a simulated world.
 * Writes that lose a race (409) throw {@link Conflict}: the next pass sees the newer object and tries again.
 */
public interface Cluster {

    <T extends HasMetadata> List<T> list(Class<T> type, String namespace);

    <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name);

    /** Whether the object exists; a store that can answer without reading the object overrides this. */
    default <T extends HasMetadata> boolean exists(Class<T> type, String namespace, String name) {
        return get(type, namespace, name).isPresent();
    }

    <T extends HasMetadata> T create(T resource);

    /** Replaces metadata and spec (and, for kinds without a status subresource, everything). */
    <T extends HasMetadata> T update(T resource);

    <T extends HasMetadata> T updateStatus(T resource);

    /** Deletes if present; deleting what is gone is not an error. */
    <T extends HasMetadata> void delete(Class<T> type, String namespace, String name);

    /** A write lost to a concurrent one. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }
}
