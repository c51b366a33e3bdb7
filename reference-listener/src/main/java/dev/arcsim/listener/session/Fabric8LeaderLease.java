package dev.arcsim.listener.session;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * {@link LeaderLease} on a Kubernetes Lease named {@code arcsim-listener-<scale set id>-leader}. Every write carries
 * the resourceVersion it read, so two standbys cannot both take an expired lease: the API server refuses the second
 * write with 409. Expiry compares the holder's renewTime with this process's clock, as client-go does before it
 * observes a change; clocks are assumed roughly in step.
 */
public final class Fabric8LeaderLease implements LeaderLease {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public Fabric8LeaderLease(KubernetesClient client, String namespace, long scaleSetId) {
        this.client = client;
        this.namespace = namespace;
        this.name = "arcsim-listener-" + scaleSetId + "-leader";
    }

    @Override
    public boolean acquireOrRenew(String identity, Instant now, Duration duration) throws IOException {
        try {
            Lease current = client.leases().inNamespace(namespace).withName(name).get();
            if (current == null) {
                client.leases().inNamespace(namespace).resource(lease(identity, now, duration, null, 0)).create();
                return true;
            }
            var spec = current.getSpec();
            String holder = spec == null ? null : spec.getHolderIdentity();
            boolean mine = identity.equals(holder);
            boolean expired = holder == null || holder.isEmpty() || spec.getRenewTime() == null
                    || !now.isBefore(spec.getRenewTime().toInstant().plusSeconds(
                    spec.getLeaseDurationSeconds() == null ? duration.toSeconds() : spec.getLeaseDurationSeconds()));
            if (!mine && !expired) {
                return false;
            }
            int transitions = spec == null || spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
            client.leases().inNamespace(namespace).resource(lease(identity, now, duration,
                    current.getMetadata().getResourceVersion(), mine ? transitions : transitions + 1)).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;  // another standby wrote first
            }
            throw new IOException("leader Lease " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String identity) throws IOException {
        try {
            Lease current = client.leases().inNamespace(namespace).withName(name).get();
            if (current != null && current.getSpec() != null && identity.equals(current.getSpec().getHolderIdentity())) {
                client.leases().inNamespace(namespace).withName(name).delete();
            }
        } catch (KubernetesClientException e) {
            throw new IOException("leader Lease " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private Lease lease(String identity, Instant now, Duration duration, String resourceVersion, int transitions) {
        return new LeaseBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withResourceVersion(resourceVersion)
                        .withLabels(Map.of("app.kubernetes.io/managed-by", "arcsim-listener")).build())
                .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds((int) duration.toSeconds())
                .withRenewTime(now.atZone(ZoneOffset.UTC))
                .withLeaseTransitions(transitions).endSpec()
                .build();
    }
}
