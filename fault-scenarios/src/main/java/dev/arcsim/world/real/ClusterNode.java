package dev.arcsim.world.real;

import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.listener.time.Scheduler;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The one Node of a real cluster, as its kubelet keeps it: registered Ready, its Lease in {@code kube-node-lease}
 * renewed every 10 s (kube-controller-manager's node lifecycle controller would otherwise mark it unreachable after
 * its grace and have its pods evicted), pods bound to it through {@code pods/binding}, and a finished pod deleted with
 * grace 0. A pod on a Node is deleted gracefully: the API server only marks it, and it goes when its kubelet says so,
 * which is what ARC's controller sees on a real cluster.
 */
public final class ClusterNode implements SimulatedKubelet.Node {

    public static final String NAME = "arcsim-node";
    static final Duration RENEW_EVERY = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final Scheduler clock;
    private Instant renewed;

    private ClusterNode(KubernetesClient client, Scheduler clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Registers the Node (Ready, schedulable) and its Lease. */
    public static ClusterNode register(KubernetesClient client, Scheduler clock) {
        var node = new NodeBuilder().withNewMetadata().withName(NAME).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/hostname", NAME).endMetadata().build();
        client.nodes().resource(node).createOr(existing -> existing.update());
        ClusterNode n = new ClusterNode(client, clock);
        n.writeStatus();
        n.heartbeat();
        return n;
    }

    /**
     * Ready, as a merge patch of the status: kube-controller-manager writes the Node too (its taints) right after it
     * appears, so a read-then-replace could meet a conflict.
     */
    private void writeStatus() {
        String now = clock.now().toString();
        String patch = """
                {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",\
                "message":"arcsim's kubelet is posting ready status","lastHeartbeatTime":"%s","lastTransitionTime":"%s"}]}}\
                """.formatted(now, now);
        client.nodes().withName(NAME).subresource("status").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
    }

    @Override
    public void bind(Pod pod) {
        var binding = new BindingBuilder().withNewMetadata().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(NAME).endTarget().build();
        try {
            client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(binding).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {   // already bound (a status write that failed is retried with the binding done)
                throw e;
            }
        }
        if (pod.getSpec() != null) {
            pod.getSpec().setNodeName(NAME);
        }
    }

    @Override
    public void deleteNow(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withGracePeriod(0).delete();
    }

    @Override
    public synchronized void heartbeat() {
        Instant now = clock.now();
        if (renewed != null && Duration.between(renewed, now).compareTo(RENEW_EVERY) < 0) {
            return;
        }
        ZonedDateTime renewTime = now.atZone(ZoneOffset.UTC);
        var leases = client.leases().inNamespace("kube-node-lease");
        if (leases.withName(NAME).get() == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(NAME).withNamespace("kube-node-lease").endMetadata()
                    .withNewSpec().withHolderIdentity(NAME).withLeaseDurationSeconds(40).withRenewTime(renewTime).endSpec()
                    .build()).create();
        } else {
            leases.withName(NAME).edit(l -> {
                l.getSpec().setRenewTime(renewTime);
                return l;
            });
        }
        renewed = now;
    }
}
