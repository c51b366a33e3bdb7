package dev.arcsim.listener.session;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leadership and session state kept in Leases, against the fabric8 CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class Fabric8LeaderLeaseTest {

    static KubernetesClient client;

    @Test
    void theHolderRenewsOthersWaitForExpiryAndReleaseFreesIt() throws Exception {
        Fabric8LeaderLease lease = new Fabric8LeaderLease(client, "leader-test", 7);
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        Duration d = Duration.ofSeconds(10);
        assertTrue(lease.acquireOrRenew("a", t0, d));
        assertFalse(lease.acquireOrRenew("b", t0.plusSeconds(5), d));
        assertTrue(lease.acquireOrRenew("a", t0.plusSeconds(8), d), "the holder renews");
        assertFalse(lease.acquireOrRenew("b", t0.plusSeconds(17), d), "renewed at 8 s: still held at 17 s");
        assertTrue(lease.acquireOrRenew("b", t0.plusSeconds(18), d), "expired at 18 s");
        assertFalse(lease.acquireOrRenew("a", t0.plusSeconds(19), d));
        lease.release("a");
        assertFalse(lease.acquireOrRenew("a", t0.plusSeconds(19), d), "only the holder can release");
        lease.release("b");
        assertTrue(lease.acquireOrRenew("a", t0.plusSeconds(19), d));
    }

    @Test
    void theSessionStoreKeepsSessionAndLastMessageInALease() throws Exception {
        LeaseSessionStore store = new LeaseSessionStore(client, "store-test", 9);
        assertEquals(Optional.empty(), store.load());
        store.save(new SessionStore.Stored("s-1", 4, "pod-a"));
        store.save(new SessionStore.Stored("s-1", 5, "pod-a"));
        assertEquals(Optional.of(new SessionStore.Stored("s-1", 5, "pod-a")), store.load());
        assertEquals("arcsim-listener-9", store.name());
        store.clear();
        assertEquals(Optional.empty(), store.load());
    }
}
