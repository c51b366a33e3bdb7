package dev.arcsim.sim;

import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.cluster.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.CustomResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An API server's store in memory, for a simulated world: the operations the reconcilers and the listener use
 * ({@link Cluster}), with the API server's rules that matter to them. Objects are copied in and out; creation sets
 * uid, creation time and resource version; an update carrying a stale resource version is a {@link Conflict}; an
 * update keeps the stored status of kinds with a status subresource (the CRDs, pods), and a status update keeps
 * the rest. Lists come in creation order. Instead of watches, {@link #onChange} hears of every object changed.
 *
 * <p>Deletion is Kubernetes': an object with finalizers is only marked ({@code deletionTimestamp}) and goes when an
 * update takes its last finalizer off. Garbage collection (on unless turned off, as with kube-controller-manager
 * running) deletes an object's dependents, the objects whose owner references name its uid, the moment it is gone:
 * sooner than a real collector (some 70 ms), so a controller that races it loses every time here.
 */
public final class InMemoryCluster implements Cluster {

    private static final Map<Class<?>, String> PLURALS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<Class<?>, Map<String, Stored>> objects = new LinkedHashMap<>();
    private java.util.function.Consumer<ObjectKey> onChange = k -> { };
    private final Supplier<java.time.Instant> clock;
    private final java.util.SplittableRandom random;
    private final dev.arcsim.listener.loop.ListenerEvents events;
    private final Map<String, Fault> faults = new LinkedHashMap<>();
    private long version;
    private long uids;
    private boolean collectGarbage = true;

    /** A fault in force: matching writes get {@code status} (409 as a {@link Conflict}). */
    private record Fault(String id, int status, java.util.Set<String> verbs, java.util.Set<String> resources,
                         double probability) {
    }

    public InMemoryCluster(Supplier<java.time.Instant> clock) {
        this(clock, 1, dev.arcsim.listener.loop.ListenerEvents.none());
    }

    /** @param events where each refused request is reported ({@code fault-injected}) */
    public InMemoryCluster(Supplier<java.time.Instant> clock, long seed, dev.arcsim.listener.loop.ListenerEvents events) {
        this.clock = clock;
        this.random = new java.util.SplittableRandom(seed);
        this.events = events;
    }

    /** Whether owned objects are collected when their owner goes (on by default). */
    public synchronized InMemoryCluster collectGarbage(boolean on) {
        collectGarbage = on;
        return this;
    }

    /**
     * While in force, writes of the given verbs (POST create, PUT or PATCH update, DELETE; empty: all writes) to the
     * given resource plurals (empty: all) fail with {@code status}.
     */
    public synchronized void addFault(String id, int status, java.util.Set<String> verbs, java.util.Set<String> resources,
                                      double probability) {
        faults.put(id, new Fault(id, status, verbs, resources, probability));
    }

    public synchronized void removeFault(String id) {
        faults.remove(id);
    }

    private void maybeFail(String verb, Class<?> type) {
        if (faults.isEmpty()) {
            return;
        }
        String plural = PLURALS.computeIfAbsent(type, t -> HasMetadata.getPlural(t.asSubclass(HasMetadata.class)));
        for (Fault f : faults.values()) {
            boolean verbHit = f.verbs().isEmpty() || f.verbs().contains(verb)
                    || (verb.equals("PUT") && f.verbs().contains("PATCH"));
            if (verbHit && (f.resources().isEmpty() || f.resources().contains(plural)) && random.nextDouble() < f.probability()) {
                events.emit("fault-injected", Map.of("fault", f.id(), "kind", "kubernetes-" + f.status(), "verb", verb,
                        "resource", plural));
                if (f.status() == 409) {
                    throw new Conflict("arcsim: injected 409 on " + verb + " " + plural);
                }
                throw new io.fabric8.kubernetes.client.KubernetesClientException("arcsim: injected " + f.status() + " on "
                        + verb + " " + plural, f.status(), null);
            }
        }
    }

    /**
     * An object as the store keeps it: its own copy, which never leaves the store (every read hands out a fresh
     * deep copy, as an API server hands out fresh objects); namespace and resource version are what the store
     * itself looks at.
     */
    private record Stored(HasMetadata object, String namespace, String resourceVersion) {
        Stored(HasMetadata object) {
            this(object, object.getMetadata().getNamespace(), object.getMetadata().getResourceVersion());
        }
    }

    private static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    private Map<String, Stored> ofType(Class<?> type) {
        return objects.computeIfAbsent(type, t -> new LinkedHashMap<>());
    }

    @Override
    public synchronized <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
        List<T> out = new ArrayList<>();
        for (Stored o : ofType(type).values()) {
            if (namespace == null || namespace.equals(o.namespace())) {
                out.add(type.cast(DeepCopy.of(o.object())));
            }
        }
        return out;
    }

    @Override
    public synchronized <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        Stored o = ofType(type).get(key(namespace, name));
        return o == null ? Optional.empty() : Optional.of(type.cast(DeepCopy.of(o.object())));
    }

    @Override
    public synchronized <T extends HasMetadata> boolean exists(Class<T> type, String namespace, String name) {
        return ofType(type).containsKey(key(namespace, name));
    }

    @Override
    public synchronized <T extends HasMetadata> T create(T resource) {
        maybeFail("POST", resource.getClass());
        String k = key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        Map<String, Stored> store = ofType(resource.getClass());
        if (store.containsKey(k)) {
            throw new Conflict(resource.getKind() + " " + resource.getMetadata().getName() + " already exists");
        }
        T stored = DeepCopy.of(resource);
        stored.getMetadata().setUid("uid-" + ++uids);
        stored.getMetadata().setCreationTimestamp(clock.get().toString());
        stored.getMetadata().setResourceVersion(Long.toString(++version));
        store.put(k, new Stored(stored));
        changed(resource.getClass(), stored.getMetadata().getNamespace(), stored.getMetadata().getName());
        return DeepCopy.of(stored);
    }

    @Override
    public synchronized <T extends HasMetadata> T update(T resource) {
        return write(resource, false);
    }

    @Override
    public synchronized <T extends HasMetadata> T updateStatus(T resource) {
        return write(resource, true);
    }

    private <T extends HasMetadata> T write(T resource, boolean statusOnly) {
        maybeFail("PUT", resource.getClass());
        String k = key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        Map<String, Stored> store = ofType(resource.getClass());
        Stored stored = store.get(k);
        if (stored == null) {
            throw new Conflict(resource.getKind() + " " + resource.getMetadata().getName() + " does not exist");
        }
        String seen = resource.getMetadata().getResourceVersion();
        if (seen != null && !seen.equals(stored.resourceVersion())) {
            throw new Conflict(resource.getKind() + " " + resource.getMetadata().getName() + " was changed since it was read");
        }
        @SuppressWarnings("unchecked")
        T current = (T) stored.object();
        boolean hasStatus = resource instanceof CustomResource<?, ?> || resource instanceof Pod;
        T next;
        if (statusOnly) {
            next = DeepCopy.of(current);
            setStatus(next, DeepCopy.of(status(resource)));
        } else {
            next = DeepCopy.of(resource);
            if (hasStatus) {
                setStatus(next, DeepCopy.of(status(current)));
            }
        }
        next.getMetadata().setUid(current.getMetadata().getUid());
        next.getMetadata().setCreationTimestamp(current.getMetadata().getCreationTimestamp());
        next.getMetadata().setDeletionTimestamp(current.getMetadata().getDeletionTimestamp());
        if (!statusOnly && current.getMetadata().getDeletionTimestamp() != null) {
            // a terminating object can lose finalizers, not gain them (a status write keeps the stored metadata)
            List<String> kept = new ArrayList<>(finalizers(next));
            kept.retainAll(finalizers(current));
            next.getMetadata().setFinalizers(kept);
        }
        next.getMetadata().setResourceVersion(Long.toString(++version));
        if (next.getMetadata().getDeletionTimestamp() != null && finalizers(next).isEmpty()) {
            remove(resource.getClass(), k, next);
            return DeepCopy.of(next);
        }
        store.put(k, new Stored(next));
        changed(resource.getClass(), next.getMetadata().getNamespace(), next.getMetadata().getName());
        return DeepCopy.of(next);
    }

    private static Object status(Object o) {
        if (o instanceof CustomResource<?, ?> cr) {
            return cr.getStatus();
        }
        if (o instanceof Pod pod) {
            return pod.getStatus();
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setStatus(Object o, Object status) {
        if (o instanceof CustomResource cr) {
            cr.setStatus(status);
        } else if (o instanceof Pod pod) {
            pod.setStatus((io.fabric8.kubernetes.api.model.PodStatus) status);
        }
    }

    @Override
    public synchronized <T extends HasMetadata> void delete(Class<T> type, String namespace, String name) {
        maybeFail("DELETE", type);
        deleteStored(type, key(namespace, name));
    }

    private void deleteStored(Class<?> type, String k) {
        Stored stored = ofType(type).get(k);
        if (stored == null) {
            return;
        }
        HasMetadata o = stored.object();
        if (finalizers(o).isEmpty()) {
            remove(type, k, o);
        } else if (o.getMetadata().getDeletionTimestamp() == null) {
            HasMetadata marked = DeepCopy.of(o);
            marked.getMetadata().setDeletionTimestamp(clock.get().toString());
            marked.getMetadata().setResourceVersion(Long.toString(++version));
            ofType(type).put(k, new Stored(marked));
            changed(type, marked.getMetadata().getNamespace(), marked.getMetadata().getName());
        }
    }

    /** The object is gone: its watchers hear of it, and the collector deletes what it owned. */
    private void remove(Class<?> type, String k, HasMetadata o) {
        ofType(type).remove(k);
        changed(type, o.getMetadata().getNamespace(), o.getMetadata().getName());
        if (!collectGarbage || o.getMetadata().getUid() == null) {
            return;
        }
        String uid = o.getMetadata().getUid();
        for (Map.Entry<Class<?>, Map<String, Stored>> byType : List.copyOf(objects.entrySet())) {
            for (Map.Entry<String, Stored> e : List.copyOf(byType.getValue().entrySet())) {
                var owners = e.getValue().object().getMetadata().getOwnerReferences();
                if (owners != null && owners.stream().anyMatch(r -> uid.equals(r.getUid()))) {
                    deleteStored(byType.getKey(), e.getKey());
                }
            }
        }
    }

    private static List<String> finalizers(HasMetadata o) {
        return o.getMetadata().getFinalizers() == null ? List.of() : o.getMetadata().getFinalizers();
    }

    /** How many writes the store has taken (creations and updates): its last resource version. */
    public synchronized long writes() {
        return version;
    }

    /** How many objects of a kind there are, in every namespace. */
    public synchronized int count(Class<? extends HasMetadata> type) {
        return ofType(type).size();
    }

    private void changed(Class<?> type, String namespace, String name) {
        onChange.accept(new ObjectKey(type, namespace, name));
    }

    /** Called with each object created, updated or deleted, under the store's lock: a simulated watch (it must not call back in). */
    public synchronized void onChange(java.util.function.Consumer<ObjectKey> watch) {
        onChange = watch;
    }
}
