package dev.arcsim.bench;

import dev.arcsim.controller.cluster.Fabric8Cluster;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.scaling.Fabric8RunnerSets;
import dev.arcsim.listener.scaling.RunnerSets;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.listener.wire.JdkTransport;
import dev.arcsim.world.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference listener against fake-github over loopback HTTP on the wall clock, and, when asked, scaling through
 * a real Kubernetes client against the embedded API server (a JSON merge patch of the EphemeralRunnerSet per
 * message). No controller and no runners: what is measured is the listener's loop over the wire. Everything binds
 * 127.0.0.1.
 */
public final class WireRig implements AutoCloseable {

    static final String SET = "bench-set";
    static final String NAMESPACE = Rigs.NAMESPACE;
    /** The longest one batch may take before the rig calls it stuck. */
    static final Duration STUCK = Duration.ofSeconds(60);

    private final FakeGitHubServer server;
    private final JdkTransport transport;
    private final EmbeddedApiServer api;
    private final Listener listener;
    private final Thread loop;
    private final FakeGitHub fake;
    private final Rigs.CountingRunnerSets scaler;

    /** @param kubernetes whether each scale goes to the embedded API server as a patch (else it is only counted) */
    public WireRig(boolean kubernetes, long seed) throws IOException, InterruptedException {
        fake = new FakeGitHub(new dev.arcsim.fake.time.SystemScheduler(), FakeGitHub.Options.defaults().withSeed(seed));
        server = new FakeGitHubServer(fake, 0, 32);
        server.start();
        String url = server.baseUrl() + "/acme";
        transport = new JdkTransport(null, Map.of());   // no proxy settings: loopback only
        SystemScheduler clock = new SystemScheduler();
        long id;
        try {
            ActionsClient admin = Rigs.client(transport, clock, url, Duration.ofSeconds(30), "arcsim-bench");
            id = admin.createScaleSet(SET, 1, List.of()).path("id").asLong();
        } catch (dev.arcsim.listener.client.ApiException | dev.arcsim.listener.client.MalformedResponseException e) {
            server.close();
            throw new IllegalStateException("the benchmark's scale set was not created: " + e.getMessage(), e);
        }
        RunnerSets target = null;
        if (kubernetes) {
            api = EmbeddedApiServer.start(0);
            EphemeralRunnerSet ers = new EphemeralRunnerSet();
            ers.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(SET).build());
            ers.setSpec(new EphemeralRunnerSet.Spec());
            new Fabric8Cluster(api.client()).create(ers);
            target = new Fabric8RunnerSets(api.client());
        } else {
            api = null;
        }
        scaler = new Rigs.CountingRunnerSets(target);
        ListenerConfig config = Rigs.listenerConfig(url, SET, id);
        listener = ListenerApp.build(config, new ListenerApp.Wiring(transport, api == null ? null : api.client(), scaler,
                new InMemorySessionStore(), clock, ListenerEvents.none(), "bench-listener", new SplittableRandom(seed)),
                new Metrics());
        loop = Thread.ofPlatform().name("bench-listener").daemon().start(listener::run);
    }

    /** Queues {@code jobs} jobs and waits until the listener has scaled for them; answers the replicas it asked for. */
    public int offerAndWait(int jobs) throws InterruptedException {
        int target = scaler.replicas() + jobs;
        fake.state().enqueueJobs(new ServiceState.JobRequest(SET, null, "app", "ci.yml", "build", "push", 60), jobs);
        return scaler.awaitReplicas(target, STUCK);
    }

    public long patches() {
        return scaler.patches();
    }

    /** The replicas the EphemeralRunnerSet in the API server holds; -1 without one. */
    public int replicasInCluster() {
        if (api == null) {
            return -1;
        }
        return new Fabric8Cluster(api.client()).get(EphemeralRunnerSet.class, NAMESPACE, SET)
                .map(e -> e.getSpec().replicasOrZero()).orElse(-1);
    }

    @Override
    public void close() throws InterruptedException {
        listener.stop();
        transport.close();   // ends the parked long poll and closes the connections, so the server stops at once
        loop.join(STUCK.toMillis());
        server.close();
        if (api != null) {
            api.close();
        }
    }
}
