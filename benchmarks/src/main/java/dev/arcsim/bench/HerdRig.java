package dev.arcsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.controller.reconcile.AutoscalingListenerReconciler;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.faults.FaultRule;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireResponse;
import dev.arcsim.sim.InProcessTransport;
import dev.arcsim.sim.VirtualTime;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Many listeners, one scale set each, against one fake in virtual time, through a shared outage (every connection
 * reset): the thundering herd. Each listener sits behind its own counting transport, so the rig knows when each
 * began its first successful long poll after the outage and how the requests bunch up as they all come back. A
 * listener that exits is restarted as its pod would be: 50 ms later for ARC's models, as ARC's controller does (#4656),
 * else with the reference controller's backoff (1 s doubling to 2 min, reset after a minute up). No controller,
 * no runners: only the listeners and the service.
 */
public final class HerdRig {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How soon ARC's controller had a failed listener pod back (about 50 ms, its HEAD binary on a real API server). */
    static final Duration ARC_POD_RECREATED = Duration.ofMillis(50);
    private static final String URL = "http://" + InProcessTransport.HOST + "/acme";
    /** How long before the outage every listener must be polling, and how long after it the rig waits at most. */
    static final Duration SETTLE = Duration.ofMinutes(2);
    static final Duration AFTER = Duration.ofMinutes(15);
    /** The window after the outage in which the peak request rate is taken. */
    static final Duration PEAK_WINDOW = Duration.ofMinutes(2);

    /**
     * @param lastBackSeconds    simulated seconds from the outage's end until the last listener began a successful
     *                           long poll; null when some never did within {@link #AFTER}
     * @param medianBackSeconds  the same for the median listener
     * @param callsDuringOutage  requests begun while every connection was reset
     * @param peakPerSecond      the most requests begun in one second within two minutes after the outage
     * @param sessionConflicts   409s on session create after the outage began
     * @param restarts           listener processes restarted
     */
    public record Outcome(Double lastBackSeconds, double medianBackSeconds, long callsDuringOutage, int peakPerSecond,
                          long sessionConflicts, int restarts, int listeners) {
    }

    private HerdRig() {
    }

    /** One listener's view of the service: when its requests began and when its first good poll after a time began. */
    private static final class Counted implements Transport {
        private final Transport inner;
        private final VirtualTime time;
        private final List<Long> starts;
        private final long[] conflicts;
        Instant since = Instant.MIN;
        Instant firstPollSince;

        Counted(Transport inner, VirtualTime time, List<Long> starts, long[] conflicts) {
            this.inner = inner;
            this.time = time;
            this.starts = starts;
            this.conflicts = conflicts;
        }

        @Override
        public WireResponse send(dev.arcsim.listener.wire.WireRequest request) throws IOException, InterruptedException {
            Instant began = time.now();
            starts.add(began.toEpochMilli());
            WireResponse r = inner.send(request);
            String path = request.uri().getPath();
            if (request.method().equals("GET") && path.matches(".*/messages/?") && (r.status() == 200 || r.status() == 202)
                    && !began.isBefore(since) && firstPollSince == null) {
                firstPollSince = began;
            }
            if (request.method().equals("POST") && path.matches(".*/sessions/?") && r.status() == 409 && !began.isBefore(since)) {
                conflicts[0]++;
            }
            return r;
        }
    }

    /** Plays one herd: {@code listeners} scale sets settle, every connection resets for {@code outage}, they come back. */
    public static Outcome run(Policies.Policy policy, int listeners, Duration outage, long seed) throws InterruptedException {
        VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
        FakeGitHub fake = new FakeGitHub(time, FakeGitHub.Options.defaults().withSeed(seed));
        InProcessTransport transport = new InProcessTransport(fake, time);
        long[] ids = new long[listeners];
        time.spawn("admin", () -> {
            try {
                ActionsClient admin = Rigs.client(transport, time, URL, Duration.ofSeconds(30), "arcsim-bench");
                for (int i = 0; i < listeners; i++) {
                    ids[i] = admin.createScaleSet(name(i), 1, List.of()).path("id").asLong();
                }
            } catch (Exception e) {
                throw new IllegalStateException("the herd's scale sets were not created: " + e, e);
            }
        });
        time.runFor(Duration.ofSeconds(10));
        List<Long> starts = new ArrayList<>();
        long[] conflicts = {0};
        int[] restarts = {0};
        boolean[] stopping = {false};
        List<Counted> views = new ArrayList<>();
        List<Listener> running = new ArrayList<>(java.util.Collections.nCopies(listeners, null));
        SplittableRandom seeds = new SplittableRandom(seed);
        var restartPolicy = dev.arcsim.controller.reconcile.ControllerContext.ListenerRestarts.forPolicy(policy.listenerPolicy());
        for (int i = 0; i < listeners; i++) {
            if (ids[i] <= 0) {
                throw new IllegalStateException("scale set " + name(i) + " was not created");
            }
            Counted view = new Counted(transport, time, starts, conflicts);
            views.add(view);
            ListenerConfig config = config(policy, i, ids[i]);
            SplittableRandom random = seeds.split();
            InMemorySessionStore store = new InMemorySessionStore();   // a pod's state store outlives the process
            int index = i;
            time.spawn("listener-" + i, () -> {
                int failures = 0;
                while (!stopping[0]) {
                    Listener l = ListenerApp.build(config, new ListenerApp.Wiring(view, null, new Rigs.CountingRunnerSets(null),
                            store, time, ListenerEvents.none(), "herd-" + index, random.split()), new Metrics());
                    running.set(index, l);
                    Instant started = time.now();
                    l.run();
                    if (stopping[0]) {
                        return;
                    }
                    restarts[0]++;
                    failures = time.now().isBefore(started.plus(AutoscalingListenerReconciler.STABLE_AFTER)) ? failures + 1 : 1;
                    try {
                        // no pod is back sooner than ARC's controller had one back; at once, in virtual time, would spin
                        time.sleep(max(restartPolicy.delay(failures), ARC_POD_RECREATED));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        try {
            time.runFor(SETTLE);
            Instant down = time.now();
            long polling = views.stream().filter(v -> v.firstPollSince != null).count();
            if (polling < listeners) {
                throw new IllegalStateException(polling + " of " + listeners + " listeners were polling before the outage");
            }
            fake.faults().add(FaultRule.parse(JSON.createObjectNode().put("kind", "connection-reset"), "fault", "outage"));
            time.runFor(outage);
            fake.faults().remove("outage");
            Instant up = time.now();
            views.forEach(v -> {
                v.since = up;
                v.firstPollSince = null;
            });
            Instant giveUp = up.plus(AFTER);
            while (time.now().isBefore(giveUp)
                    && (views.stream().anyMatch(v -> v.firstPollSince == null) || time.now().isBefore(up.plus(PEAK_WINDOW)))) {
                time.runFor(Duration.ofSeconds(10));
            }
            double[] back = views.stream().mapToDouble(v -> v.firstPollSince == null ? Double.NaN
                    : Duration.between(up, v.firstPollSince).toMillis() / 1000.0).toArray();
            Double last = Arrays.stream(back).anyMatch(Double::isNaN) ? null : Arrays.stream(back).max().orElse(0);
            double[] sorted = Arrays.stream(back).filter(d -> !Double.isNaN(d)).sorted().toArray();
            double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
            long during = starts.stream().filter(t -> t >= down.toEpochMilli() && t < up.toEpochMilli()).count();
            Map<Long, Integer> perSecond = new TreeMap<>();
            long from = up.toEpochMilli();
            long to = up.plus(PEAK_WINDOW).toEpochMilli();
            starts.stream().filter(t -> t >= from && t < to).forEach(t -> perSecond.merge((t - from) / 1000, 1, Integer::sum));
            int peak = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            return new Outcome(last, median, during, peak, conflicts[0], restarts[0], listeners);
        } finally {
            stopping[0] = true;
            running.forEach(l -> {
                if (l != null) {
                    l.stop();
                }
            });
            time.interruptAll("");
            time.runFor(Duration.ofMinutes(1));
        }
    }

    private static String name(int i) {
        return String.format("herd-%03d", i);
    }

    private static ListenerConfig config(Policies.Policy policy, int i, long id) {
        return Rigs.listenerConfig(URL, name(i), id).withPolicy(policy.listenerPolicy(), policy.parameters());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
