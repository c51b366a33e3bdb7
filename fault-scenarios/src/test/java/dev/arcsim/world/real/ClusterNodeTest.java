package dev.arcsim.world.real;

import dev.arcsim.controller.cluster.Fabric8Cluster;
import dev.arcsim.controller.kubelet.PodProcess;
import dev.arcsim.controller.kubelet.SimulatedKubelet;
import dev.arcsim.controller.kubelet.Spawner;
import dev.arcsim.listener.time.SystemScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kubelet on a real API server's Node, as ARC's controller needs it: pods bound to the Node, and a deleted pod
 * kept (terminating) until its process has ended, then deleted by the kubelet, its process given SIGTERM first and
 * SIGKILL when it outlives the grace period.
 */
class ClusterNodeTest {

    private static RealApiServer server;
    private static SimulatedKubelet kubelet;
    private static Spawner.Handle loop;
    private static final Map<String, Container> containers = new ConcurrentHashMap<>();
    private static final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    /** A container that ends on SIGTERM only when it obeys it, and always on SIGKILL. */
    static final class Container implements PodProcess {
        final boolean obeysSigterm;
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicBoolean sigterm = new AtomicBoolean();

        Container(boolean obeysSigterm) {
            this.obeysSigterm = obeysSigterm;
        }

        @Override
        public int run() throws InterruptedException {
            ended.await();
            return sigterm.get() ? 0 : 1;
        }

        @Override
        public void terminate() {
            sigterm.set(true);
            if (obeysSigterm) {
                ended.countDown();
            }
        }

        @Override
        public void kill() {
            ended.countDown();
        }
    }

    @BeforeAll
    static void start() {
        server = RealApiServer.start(RealTierTests.require(), new RealApiServer.Options(false));
        var clock = new SystemScheduler();
        ClusterNode node = ClusterNode.register(server.client(), clock);
        SimulatedKubelet.Processes processes = pod -> Optional.of(containers.computeIfAbsent(pod.getMetadata().getName(),
                name -> new Container(name.startsWith("obedient"))));
        kubelet = new SimulatedKubelet(new Fabric8Cluster(server.client()), clock, Spawner.threads(), processes,
                (type, fields) -> {
                    var e = new java.util.HashMap<String, Object>(fields);
                    e.put("type", type);
                    events.add(e);
                }, node);
        loop = Spawner.threads().spawn("kubelet", () -> kubelet.run(Duration.ofMillis(100)));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (kubelet != null) {
            kubelet.stop();
            loop.join(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.close();
        }
    }

    private static Pod pod(String name) {
        return server.client().pods().inNamespace("arc-runners").resource(new PodBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withTerminationGracePeriodSeconds(30L).addNewContainer().withName("runner")
                .withImage("ghcr.io/actions/actions-runner:latest").endContainer().endSpec().build()).create();
    }

    private static Pod get(String name) {
        return server.client().pods().inNamespace("arc-runners").withName(name).get();
    }

    @Test
    void aPodIsBoundToTheNodeAndRunningAndTheNodeIsAlive() {
        pod("bound");
        await().atMost(30, TimeUnit.SECONDS).until(() -> "Running".equals(get("bound").getStatus().getPhase()));
        assertEquals(ClusterNode.NAME, get("bound").getSpec().getNodeName());
        var lease = server.client().leases().inNamespace("kube-node-lease").withName(ClusterNode.NAME).get();
        assertNotNull(lease.getSpec().getRenewTime(), "the Node's heartbeat");
        assertEquals("True", server.client().nodes().withName(ClusterNode.NAME).get().getStatus().getConditions().get(0).getStatus());
    }

    @Test
    void aDeletedPodStaysTerminatingUntilItsProcessEndsAndThenTheKubeletDeletesIt() {
        pod("obedient");
        await().atMost(30, TimeUnit.SECONDS).until(() -> "Running".equals(get("obedient").getStatus().getPhase()));
        server.client().pods().inNamespace("arc-runners").withName("obedient").delete();
        await().atMost(30, TimeUnit.SECONDS).until(() -> get("obedient") == null);
        assertTrue(containers.get("obedient").sigterm.get(), "the process got SIGTERM");
        assertTrue(events.stream().anyMatch(e -> e.get("type").equals("pod-terminating") && e.get("pod").equals("arc-runners/obedient")),
                "the kubelet saw the pod terminating (the API server kept it for the kubelet): " + events);
        assertTrue(events.stream().anyMatch(e -> e.get("type").equals("pod-ended") && e.get("pod").equals("arc-runners/obedient")
                && Integer.valueOf(0).equals(e.get("exitCode"))), "its last status was written: " + events);
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGraceAndItsPodGoes() {
        pod("stubborn");
        await().atMost(30, TimeUnit.SECONDS).until(() -> "Running".equals(get("stubborn").getStatus().getPhase()));
        server.client().pods().inNamespace("arc-runners").withName("stubborn").delete();
        await().atMost(10, TimeUnit.SECONDS).until(() -> containers.get("stubborn").sigterm.get());
        assertNotNull(get("stubborn"), "still there while its process runs: " + get("stubborn"));
        assertNotNull(get("stubborn").getMetadata().getDeletionTimestamp());
        await().atMost(60, TimeUnit.SECONDS).until(() -> get("stubborn") == null);
        assertTrue(events.stream().anyMatch(e -> e.get("type").equals("pod-ended") && e.get("pod").equals("arc-runners/stubborn")
                && Integer.valueOf(137).equals(e.get("exitCode"))), "SIGKILL after the grace: exit 137: " + events);
    }
}
