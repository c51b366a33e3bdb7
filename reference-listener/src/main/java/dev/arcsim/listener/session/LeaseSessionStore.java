package dev.arcsim.listener.session;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the session in a Lease named {@code arcsim-listener-<scale set id>} in the EphemeralRunnerSet's namespace,
 * in annotations, with the owner as holder. Nothing but ARC's config is needed to find it again.
 */
public final class LeaseSessionStore implements SessionStore {

    static final String SESSION_ID = "arcsim.dev/session-id";
    static final String LAST_MESSAGE_ID = "arcsim.dev/last-message-id";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public LeaseSessionStore(KubernetesClient client, String namespace, long scaleSetId) {
        this.client = client;
        this.namespace = namespace;
        this.name = "arcsim-listener-" + scaleSetId;
    }

    public String name() {
        return name;
    }

    @Override
    public Optional<Stored> load() throws IOException {
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            if (lease == null || lease.getMetadata().getAnnotations() == null) {
                return Optional.empty();
            }
            Map<String, String> a = lease.getMetadata().getAnnotations();
            String session = a.get(SESSION_ID);
            if (session == null || session.isEmpty()) {
                return Optional.empty();
            }
            long last = Long.parseLong(a.getOrDefault(LAST_MESSAGE_ID, "0"));
            return Optional.of(new Stored(session, last, lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity()));
        } catch (KubernetesClientException | NumberFormatException e) {
            throw new IOException("read Lease " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Stored state) throws IOException {
        Lease lease = new LeaseBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                        .withAnnotations(Map.of(SESSION_ID, state.sessionId(), LAST_MESSAGE_ID, Long.toString(state.lastMessageId())))
                        .withLabels(Map.of("app.kubernetes.io/managed-by", "arcsim-listener"))
                        .build())
                .withNewSpec().withHolderIdentity(state.owner()).endSpec()
                .build();
        try {
            client.leases().inNamespace(namespace).resource(lease).createOr(existing -> existing.update());
        } catch (KubernetesClientException e) {
            throw new IOException("write Lease " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void clear() throws IOException {
        try {
            client.leases().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            throw new IOException("delete Lease " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }
}
