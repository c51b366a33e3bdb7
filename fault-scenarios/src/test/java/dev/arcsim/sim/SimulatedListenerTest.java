package dev.arcsim.sim;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ConfigUrl;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.scaling.RunnerSets;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.listener.session.SessionStore;
import dev.arcsim.listener.wire.Transport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed incident in virtual time with the service's real timings: 50 s long polls and a 5-minute orphan TTL. The
 * unchanged listener talks to the unchanged fake through the in-process transport; a pod loop restarts it after each
 * exit with the reference controller's backoff (1 s, doubling, at most 2 min). Ten minutes of protocol time pass in
 * well under a second of CPU, and the same seed gives the same history.
 */
class SimulatedListenerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String URL = "http://" + InProcessTransport.HOST + "/acme";

    /** What one run recorded, one line an event, with the virtual time of each. */
    record Run(List<String> history, Duration recovery, long conflicts, int listenerStarts) {
    }

    private static Run sigkill(String policy, long seed) throws Exception {
        VirtualTime vt = new VirtualTime(T0);
        FakeGitHub fake = new FakeGitHub(vt, FakeGitHub.Options.defaults().withSeed(seed));   // real rules
        List<String> history = new ArrayList<>();
        fake.observe((at, type, fields) -> history.add(line(at, "fake-github", type, fields)));
        Transport transport = new InProcessTransport(fake, vt);

        long[] scaleSet = {0};
        vt.spawn("controller", () -> {
            try {
                ActionsClient admin = new ActionsClient(transport, vt, ConfigUrl.parse(URL),
                        new ActionsClient.Credentials.Pat("ghp_sim_token"), Duration.ofSeconds(30), "arcsim-sim", false);
                scaleSet[0] = admin.createScaleSet("sim-set", 1, List.of()).path("id").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        vt.runFor(Duration.ofSeconds(1));
        assertTrue(scaleSet[0] > 0, "the scale set was created");

        ListenerConfig config = ListenerConfig.parse("""
                {"configure_url":"%s","github_token":"ghp_sim_token","ephemeral_runner_set_namespace":"arc-runners",
                 "ephemeral_runner_set_name":"sim-set","min_runners":0,"max_runners":5,"runner_scale_set_id":%d,
                 "runner_scale_set_name":"sim-set","arcsim_policy":"%s","arcsim_state_store":"memory"}
                """.formatted(URL, scaleSet[0], policy), "sim/config.json");
        SessionStore lease = new InMemorySessionStore();   // outlives each listener process, as a Lease does
        RunnerSets cluster = new RunnerSets() {
            @Override
            public void patchReplicas(String namespace, String name, int replicas, int patchId) {
            }

            @Override
            public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) {
                return true;
            }
        };
        SplittableRandom random = new SplittableRandom(seed);
        Listener[] running = {null};
        int[] starts = {0};
        vt.spawn("listener-pod", () -> {
            int failures = 0;
            while (true) {
                Thread.interrupted();   // a new process starts with a clean slate
                Listener listener = ListenerApp.build(config, new ListenerApp.Wiring(transport, null, cluster, lease, vt,
                        (type, fields) -> history.add(line(vt.now(), "listener", type, fields)), "listener-pod",
                        random.split()), new Metrics());
                running[0] = listener;
                starts[0]++;
                int code = listener.run();
                failures = code == 0 ? 0 : failures + 1;
                try {
                    vt.sleep(Duration.ofSeconds(failures == 0 ? 1 : Math.min(120, 1L << Math.min(7, failures - 1))));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        vt.runUntil(T0.plusSeconds(120));

        Instant killedAt = vt.now();
        history.add(line(killedAt, "timeline", "disruption", Map.of("what", "listener-killed")));
        running[0].abandon();            // SIGKILL: the session stays on the server
        vt.interrupt("listener-pod");    // ends the poll the process was parked in
        vt.runUntil(T0.plusSeconds(720));

        Instant recovered = null;
        long conflicts = 0;
        for (String h : history) {
            Instant at = Instant.parse(h.substring(0, h.indexOf(' ')));
            if (at.isAfter(killedAt) && h.contains(" fake-github session-created ") && recovered == null) {
                recovered = at;
            }
            if (h.contains(" fake-github session-conflicted ")) {
                conflicts++;
            }
        }
        return new Run(history, recovered == null ? null : Duration.between(killedAt, recovered), conflicts, starts[0]);
    }

    private static String line(Instant at, String actor, String type, Map<String, Object> fields) {
        return at + " " + actor + " " + type + " " + new TreeMap<>(fields);
    }

    @Test
    void resilientTakesTheOrphanedSessionOverInSecondsOfProtocolTime() throws Exception {
        Run r = sigkill("resilient", 7);
        assertTrue(r.recovery() != null && r.recovery().compareTo(Duration.ofSeconds(10)) < 0,
                "a new session within seconds of the kill: " + r.recovery());
        assertEquals(0, r.conflicts(), "the orphaned session was deleted before the new one was made");
        assertEquals(2, r.listenerStarts(), "the kill's restart, and no crash loop");
    }

    @Test
    void arcLegacyCrashLoopsThroughTheFiveMinuteOrphanTtl() throws Exception {
        Run r = sigkill("arc-legacy", 7);
        assertTrue(r.recovery() != null && r.recovery().compareTo(Duration.ofMinutes(5)) >= 0,
                "no session until the 5-minute orphan TTL freed it: " + r.recovery());
        assertTrue(r.conflicts() >= 5, "409 on each restart: " + r.conflicts());
        assertTrue(r.listenerStarts() >= 6, "restarted again and again: " + r.listenerStarts());
        assertTrue(r.history().stream().anyMatch(h -> h.contains("session-ended") && h.contains("reason=expired")));
    }

    @Test
    void arc08WaitsOutTheOrphanTtlInOneProcessWithCreates30To45SecondsApart() throws Exception {
        Run r = sigkill("arc-0.8", 7);
        assertTrue(r.recovery() != null && r.recovery().compareTo(Duration.ofMinutes(5)) >= 0,
                "no session until the 5-minute orphan TTL freed it: " + r.recovery());
        assertEquals(2, r.listenerStarts(), "the kill's restart and no other: 0.8.1 does not exit on a 409");
        List<Instant> conflicts = r.history().stream().filter(h -> h.contains(" fake-github session-conflicted "))
                .map(h -> Instant.parse(h.substring(0, h.indexOf(' ')))).toList();
        assertTrue(conflicts.size() >= 6 && conflicts.size() < 10, "a 409 every 30-45 s through 5 minutes, under the "
                + "limit of ten: " + conflicts.size());
        for (int i = 1; i < conflicts.size(); i++) {
            Duration gap = Duration.between(conflicts.get(i - 1), conflicts.get(i));
            assertTrue(gap.compareTo(Duration.ofSeconds(30)) >= 0 && gap.compareTo(Duration.ofSeconds(46)) < 0,
                    "409 " + i + " came " + gap + " after the one before");
        }
    }

    @Test
    void theSameSeedReplaysTheSameHistoryAndAnotherSeedDoesNot() throws Exception {
        Run a = sigkill("resilient", 11);
        Run b = sigkill("resilient", 11);
        assertEquals(a.history(), b.history(), "byte for byte, times included");
        assertNotEquals(a.history(), sigkill("resilient", 12).history());
        assertTrue(a.history().size() > 20, "it recorded something: " + a.history().size());
    }
}
