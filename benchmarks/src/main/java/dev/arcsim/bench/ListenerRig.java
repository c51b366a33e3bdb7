package dev.arcsim.bench;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.sim.InProcessTransport;
import dev.arcsim.sim.VirtualTime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference listener alone against fake-github, in process and in virtual time: no controller, no runners. What
 * it scales to is recorded by a {@link Rigs.CountingRunnerSets} that only counts, so a benchmark measures the listener's message
 * handling (poll, parse, acquire, ack, scale) and the fake's answers, and nothing else.
 */
public final class ListenerRig implements AutoCloseable {

    static final String SET = "bench-set";
    private static final String URL = "http://" + InProcessTransport.HOST + "/acme";

    private final VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeGitHub fake;
    private final Listener listener;
    private final Rigs.CountingRunnerSets scaler = new Rigs.CountingRunnerSets(null);

    public ListenerRig(long seed) throws InterruptedException {
        fake = new FakeGitHub(time, FakeGitHub.Options.defaults().withSeed(seed));
        InProcessTransport transport = new InProcessTransport(fake, time);
        long[] id = {0};
        time.spawn("admin", () -> {
            try {
                ActionsClient admin = Rigs.client(transport, time, URL, Duration.ofSeconds(30), "arcsim-bench");
                id[0] = admin.createScaleSet(SET, 1, List.of()).path("id").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        time.runFor(Duration.ofSeconds(1));
        if (id[0] <= 0) {
            throw new IllegalStateException("the benchmark's scale set was not created");
        }
        ListenerConfig config = Rigs.listenerConfig(URL, SET, id[0]);
        listener = ListenerApp.build(config, new ListenerApp.Wiring(transport, null, scaler, new InMemorySessionStore(),
                time, ListenerEvents.none(), "bench-listener", new SplittableRandom(seed)), new Metrics());
        time.spawn("listener", listener::run);
        time.runFor(Duration.ofSeconds(1));
    }

    /**
     * Queues {@code jobs} jobs and runs the world until the listener has acquired them and scaled for them; answers
     * the replicas it asked for. Fails if that takes more than ten minutes of world time.
     */
    public int offerAndWait(int jobs) throws InterruptedException {
        int target = scaler.replicas() + jobs;
        fake.state().enqueueJobs(new ServiceState.JobRequest(SET, null, "app", "ci.yml", "build", "push", 60), jobs);
        Instant giveUp = time.now().plus(Duration.ofMinutes(10));
        while (scaler.replicas() < target) {
            if (!time.now().isBefore(giveUp)) {
                throw new IllegalStateException("the listener scaled to " + scaler.replicas() + ", not " + target);
            }
            time.runFor(Duration.ofMillis(100));
        }
        return scaler.replicas();
    }

    public int replicas() {
        return scaler.replicas();
    }

    public long patches() {
        return scaler.patches();
    }

    public FakeGitHub fake() {
        return fake;
    }

    @Override
    public void close() {
        listener.stop();
        time.interruptAll("");
        try {
            time.runFor(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
