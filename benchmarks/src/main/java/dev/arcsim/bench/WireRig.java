package dev.arcsim.bench;

import dev.arcsim.controller.cluster.Fabric8Cluster;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ConfigUrl;
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
    static final String NAMESPACE = "arc-runners";
    /** The longest one batch may take before the rig calls it stuck. */
    static final Duration STUCK = Duration.ofSeconds(60);

    private final FakeGitHubServer server;
    private final JdkTransport transport;
    private final EmbeddedApiServer api;
    private final Listener listener;
    private final Thread loop;
    private final Object scaled = new Object();
    private int replicas;
    private long patches;

    /** @param kubernetes whether each scale goes to the embedded API server as a patch (else it is only counted) */
    public WireRig(boolean kubernetes, long seed) throws IOException, InterruptedException {
        FakeGitHub fake = new FakeGitHub(new dev.arcsim.fake.time.SystemScheduler(), FakeGitHub.Options.defaults().withSeed(seed));
        server = new FakeGitHubServer(fake, 0, 32);
        server.start();
        String url = server.baseUrl() + "/acme";
        transport = new JdkTransport(null, Map.of());   // no proxy settings: loopback only
        SystemScheduler clock = new SystemScheduler();
        long id;
        try {
            ActionsClient admin = new ActionsClient(transport, clock, ConfigUrl.parse(url),
                    new ActionsClient.Credentials.Pat("ghp_bench_token"), Duration.ofSeconds(30), "arcsim-bench", false);
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
        RunnerSets patchTo = target;
        RunnerSets counting = new RunnerSets() {
            @Override
            public void patchReplicas(String namespace, String name, int n, int patchId) throws IOException {
                if (patchTo != null) {
                    patchTo.patchReplicas(namespace, name, n, patchId);
                }
                synchronized (scaled) {
                    replicas = n;
                    patches++;
                    scaled.notifyAll();
                }
            }

            @Override
            public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) {
                return true;
            }
        };
        ListenerConfig config = ListenerConfig.parse("""
                {"configure_url":"%s","github_token":"ghp_bench_token","ephemeral_runner_set_namespace":"%s",
                 "ephemeral_runner_set_name":"%s","min_runners":0,"runner_scale_set_id":%d,
                 "runner_scale_set_name":"%s","arcsim_policy":"resilient","arcsim_state_store":"memory"}
                """.formatted(url, NAMESPACE, SET, id, SET), "bench/config.json");
        listener = ListenerApp.build(config, new ListenerApp.Wiring(transport, api == null ? null : api.client(), counting,
                new InMemorySessionStore(), clock, ListenerEvents.none(), "bench-listener", new SplittableRandom(seed)),
                new Metrics());
        this.fake = fake;
        loop = Thread.ofPlatform().name("bench-listener").daemon().start(listener::run);
    }

    private final FakeGitHub fake;

    /** Queues {@code jobs} jobs and waits until the listener has scaled for them; answers the replicas it asked for. */
    public int offerAndWait(int jobs) throws InterruptedException {
        int target;
        synchronized (scaled) {
            target = replicas + jobs;
        }
        fake.state().enqueueJobs(new ServiceState.JobRequest(SET, null, "app", "ci.yml", "build", "push", 60), jobs);
        long deadline = System.nanoTime() + STUCK.toNanos();
        synchronized (scaled) {
            while (replicas < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the listener scaled to " + replicas + ", not " + target + ", in " + STUCK);
                }
                scaled.wait(Math.max(1, left / 1_000_000));
            }
            return replicas;
        }
    }

    public long patches() {
        synchronized (scaled) {
            return patches;
        }
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
