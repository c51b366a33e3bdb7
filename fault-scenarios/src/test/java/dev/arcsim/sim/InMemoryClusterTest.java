package dev.arcsim.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.cluster.ObjectKey;
import dev.arcsim.controller.crd.EphemeralRunner;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory API server's rules the reconcilers rely on, and that what it hands out is never its own copy. */
class InMemoryClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryCluster cluster = new InMemoryCluster(() -> Instant.parse("2026-01-01T00:00:00Z"));

    private static Pod pod(String name) {
        return new PodBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name)
                        .withLabels(Map.of("app", "runner")).build())
                .withNewSpec().addNewContainer().withName("runner").withImage("ghcr.io/actions/runner")
                .addNewEnv().withName("RUNNER_NAME").withValue(name).endEnv()
                .withNewResources().withLimits(Map.of("cpu", new Quantity("2"))).endResources()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    private static EphemeralRunner runner(String name) {
        EphemeralRunner er = new EphemeralRunner();
        er.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).build());
        er.setSpec(new EphemeralRunner.Spec());
        er.getSpec().githubConfigUrl = "https://github.com/acme";
        er.getSpec().runnerScaleSetId = 7L;
        er.setStatus(new EphemeralRunner.Status());
        er.getStatus().phase = "Pending";
        er.getStatus().failures.put("uid-1", "2026-01-01T00:00:00Z");
        return er;
    }

    @Test
    void readsAreDeepCopiesEqualToWhatWasStored() throws Exception {
        Pod created = cluster.create(pod("a"));
        Pod read = cluster.get(Pod.class, "ns", "a").orElseThrow();
        assertEquals(JSON.writeValueAsString(created), JSON.writeValueAsString(read));
        assertNotSame(created, read);

        read.getMetadata().getLabels().put("app", "changed");
        read.getSpec().getContainers().get(0).getEnv().get(0).setValue("changed");
        created.getSpec().getContainers().get(0).getResources().getLimits().put("cpu", new Quantity("9"));
        Pod again = cluster.get(Pod.class, "ns", "a").orElseThrow();
        assertEquals("runner", again.getMetadata().getLabels().get("app"));
        assertEquals("a", again.getSpec().getContainers().get(0).getEnv().get(0).getValue());
        assertEquals(new Quantity("2"), again.getSpec().getContainers().get(0).getResources().getLimits().get("cpu"));
    }

    @Test
    void customResourcesCopyWithTheirDerivedFields() throws Exception {
        cluster.create(runner("r"));
        EphemeralRunner read = cluster.list(EphemeralRunner.class, "ns").get(0);
        assertEquals("EphemeralRunner", read.getKind());
        assertEquals("actions.github.com/v1alpha1", read.getApiVersion());
        assertEquals(7L, read.getSpec().runnerScaleSetId);
        assertEquals(Map.of("uid-1", "2026-01-01T00:00:00Z"), read.getStatus().failures);
        read.getStatus().failures.clear();
        assertFalse(cluster.list(EphemeralRunner.class, "ns").get(0).getStatus().failures.isEmpty());
    }

    @Test
    void creationSetsIdentityAndAStaleWriteIsAConflict() {
        Pod created = cluster.create(pod("a"));
        assertEquals("uid-1", created.getMetadata().getUid());
        assertEquals("2026-01-01T00:00:00Z", created.getMetadata().getCreationTimestamp());
        assertThrows(Cluster.Conflict.class, () -> cluster.create(pod("a")));

        Pod first = cluster.get(Pod.class, "ns", "a").orElseThrow();
        Pod second = cluster.get(Pod.class, "ns", "a").orElseThrow();
        first.getMetadata().getLabels().put("seen", "first");
        Pod updated = cluster.update(first);
        assertTrue(Long.parseLong(updated.getMetadata().getResourceVersion())
                > Long.parseLong(created.getMetadata().getResourceVersion()));
        second.getMetadata().getLabels().put("seen", "second");
        assertThrows(Cluster.Conflict.class, () -> cluster.update(second));
        assertEquals("first", cluster.get(Pod.class, "ns", "a").orElseThrow().getMetadata().getLabels().get("seen"));
    }

    @Test
    void updateKeepsTheStoredStatusAndUpdateStatusKeepsTheRest() {
        cluster.create(runner("r"));
        EphemeralRunner er = cluster.get(EphemeralRunner.class, "ns", "r").orElseThrow();
        er.getSpec().runnerScaleSetId = 8L;
        er.getStatus().phase = "Running";
        er = cluster.update(er);
        assertEquals(8L, er.getSpec().runnerScaleSetId);
        assertEquals("Pending", er.getStatus().phase, "update does not write status");

        er.getSpec().runnerScaleSetId = 9L;
        er.getStatus().phase = "Running";
        er = cluster.updateStatus(er);
        assertEquals(8L, er.getSpec().runnerScaleSetId, "a status update does not write spec");
        assertEquals("Running", er.getStatus().phase);
        assertEquals("Running", cluster.get(EphemeralRunner.class, "ns", "r").orElseThrow().getStatus().phase);
    }

    @Test
    void listsInCreationOrderAndDeletesIdempotently() {
        List<ObjectKey> changes = new java.util.ArrayList<>();
        cluster.onChange(changes::add);
        cluster.create(pod("b"));
        cluster.create(pod("a"));
        assertEquals(List.of("b", "a"), cluster.list(Pod.class, null).stream().map(p -> p.getMetadata().getName()).toList());
        cluster.delete(Pod.class, "ns", "b");
        cluster.delete(Pod.class, "ns", "b");
        assertFalse(cluster.exists(Pod.class, "ns", "b"));
        assertTrue(cluster.exists(Pod.class, "ns", "a"));
        ObjectKey b = new ObjectKey(Pod.class, "ns", "b");
        assertEquals(List.of(b, new ObjectKey(Pod.class, "ns", "a"), b), changes,
                "two creations and one deletion; deleting what is gone changes nothing");
        assertTrue(cluster.list(Pod.class, "elsewhere").isEmpty());
    }

    @Test
    void aFieldTypeTheCopyDoesNotKnowIsRefusedByName() {
        Pod p = pod("a");
        p.getSpec().setAdditionalProperty("counter", new AtomicLong());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cluster.create(p));
        assertTrue(e.getMessage().contains("java.util.concurrent.atomic.AtomicLong"), e.getMessage());
        assertFalse(cluster.exists(Pod.class, "ns", "a"), "nothing half-stored");
        assertNull(DeepCopy.of(null));
    }

    @Test
    void aFinalizerHoldsADeletedObjectUntilAnUpdateTakesItOff() {
        EphemeralRunner er = runner("held");
        er.getMetadata().setFinalizers(List.of("ephemeralrunner.actions.github.com/finalizer"));
        cluster.create(er);
        cluster.delete(EphemeralRunner.class, "ns", "held");
        EphemeralRunner marked = cluster.get(EphemeralRunner.class, "ns", "held").orElseThrow();
        assertEquals("2026-01-01T00:00:00Z", marked.getMetadata().getDeletionTimestamp(), "marked, not removed");

        marked.getMetadata().setFinalizers(List.of("ephemeralrunner.actions.github.com/finalizer", "late/one"));
        marked = cluster.update(marked);
        assertEquals(List.of("ephemeralrunner.actions.github.com/finalizer"), marked.getMetadata().getFinalizers(),
                "a terminating object gains no finalizer");
        marked.getMetadata().setDeletionTimestamp(null);
        marked.getMetadata().setFinalizers(List.of());
        cluster.update(marked);
        assertTrue(cluster.get(EphemeralRunner.class, "ns", "held").isEmpty(), "gone with its last finalizer");
    }

    @Test
    void theCollectorDeletesDependentsButFinalizersStillHoldThem() {
        Pod owner = cluster.create(pod("owner"));
        var ref = new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName("owner").withUid(owner.getMetadata().getUid()).build();
        EphemeralRunner held = runner("held");
        held.getMetadata().setOwnerReferences(List.of(ref));
        held.getMetadata().setFinalizers(List.of("f"));
        cluster.create(held);
        Pod free = pod("free");
        free.getMetadata().setOwnerReferences(List.of(ref));
        cluster.create(free);

        cluster.delete(Pod.class, "ns", "owner");
        assertTrue(cluster.get(Pod.class, "ns", "free").isEmpty(), "collected with its owner");
        assertTrue(cluster.get(EphemeralRunner.class, "ns", "held").map(r -> r.getMetadata().getDeletionTimestamp() != null)
                .orElse(false), "its finalizer holds it, terminating");

        InMemoryCluster noCollector = new InMemoryCluster(() -> Instant.parse("2026-01-01T00:00:00Z")).collectGarbage(false);
        Pod o = noCollector.create(pod("owner"));
        Pod dependent = pod("dependent");
        dependent.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("v1").withKind("Pod").withName("owner").withUid(o.getMetadata().getUid()).build()));
        noCollector.create(dependent);
        noCollector.delete(Pod.class, "ns", "owner");
        assertTrue(noCollector.get(Pod.class, "ns", "dependent").isPresent(), "without the collector it stays");
    }
}
