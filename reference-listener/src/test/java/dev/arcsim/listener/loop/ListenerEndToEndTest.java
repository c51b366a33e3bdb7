package dev.arcsim.listener.loop;

import dev.arcsim.fake.journal.Journal;
import dev.arcsim.listener.testing.LogCapture;
import dev.arcsim.listener.testing.RecordingTransport;
import dev.arcsim.listener.testing.World;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener over real HTTP against fake-github on loopback, and the fabric8 mock API server in CRUD mode. Timings
 * are compressed (1 s long polls); every wait is an Awaitility bound, no assertion is on wall time.
 */
@EnableKubernetesMockClient(crud = true)
class ListenerEndToEndTest {

    static KubernetesClient client;
    private static final String RULES = "{\"longPollSeconds\":1,\"orphanSessionTtlSeconds\":300}";
    private static final Duration BOUND = Duration.ofSeconds(30);

    private World world;

    @BeforeAll
    static void captureLogs() {
        LogCapture.install();
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    private World world() {
        world = new World(client, RULES);
        return world;
    }

    @Test
    void queuedJobsRaiseReplicasToMinPlusAssignedCappedAtMax() {
        World w = world();
        World.Running r = w.start(w.config("resilient", World.FAST_RESILIENT, 1, 5, "memory"), "pod-a");
        await().atMost(BOUND).until(() -> r.listener().ready());
        await().atMost(BOUND).until(() -> w.replicas() == 1);
        w.queueJobs(3);
        await().atMost(BOUND).until(() -> w.replicas() == 4);
        w.queueJobs(5);
        await().atMost(BOUND).until(() -> w.replicas() == 5);
        assertTrue(w.patchId() > 0, "scale-ups carry a real patch id");
        assertEquals(5.0, r.metrics().value("gha_desired_runners", java.util.Map.of("enterprise", "", "organization", "acme",
                "repository", "", "name", "arc-runner-set", "namespace", "arc-runners")));
        assertTrue(r.metrics().scrape().contains("gha_desired_runners{enterprise=\"\",name=\"arc-runner-set\","
                + "namespace=\"arc-runners\",organization=\"acme\",repository=\"\"} 5\n"), r.metrics().scrape());
    }

    /** The order of acquire and ack in the fake's journal, and of scale in the listener's events, per line. */
    @ParameterizedTest
    @ValueSource(strings = {"arc-legacy", "arc-current", "resilient"})
    void acquireAckAndScaleHappenInTheLinesOrder(String policy) {
        World w = world();
        World.Running r = w.start(w.config(policy, policy.equals("resilient") ? World.FAST_RESILIENT : "{}", 0, 10, "memory"),
                "pod-" + policy);
        await().atMost(BOUND).until(() -> r.eventSeen("session-created"));
        w.queueJobs(1);
        await().atMost(BOUND).until(() -> !w.journal("acquire-jobs").isEmpty() && !w.journal("ack-message").isEmpty());
        long acquire = w.journal("acquire-jobs").get(0).seq();
        long ack = w.journal("ack-message").get(0).seq();
        if (policy.equals("arc-current")) {
            assertTrue(ack < acquire, "current acks first");
        } else {
            assertTrue(acquire < ack, policy + " acquires before it acks");
        }
        await().atMost(BOUND).until(() -> r.events().stream().anyMatch(e -> e.startsWith("scaled") && e.contains("assigned=1")));
        List<String> order = r.events().stream().map(e -> e.split(" ")[0])
                .filter(t -> t.equals("jobs-acquired") || t.equals("message-acked") || t.equals("scaled")).toList();
        int acquired = order.indexOf("jobs-acquired");
        int acked = order.indexOf("message-acked");
        int scaledAfter = order.subList(Math.min(acquired, acked), order.size()).indexOf("scaled") + Math.min(acquired, acked);
        if (policy.equals("resilient")) {
            assertTrue(acquired < scaledAfter && scaledAfter < acked, "resilient scales before it acks: " + order);
        } else {
            assertTrue(scaledAfter > Math.max(acquired, acked), policy + " scales last: " + order);
        }
        assertEquals(1, w.replicas());
    }

    @Test
    void unauthorizedPollRefreshesTheSessionAndRetriesOnce() {
        World w = world();
        World.Running r = w.start(w.config("arc-legacy", "{}", 0, 10, "memory"), "pod-401");
        await().atMost(BOUND).until(() -> r.listener().ready());
        w.admin("POST", "faults", "{\"kind\":\"status\",\"status\":401,\"endpoint\":\"get-message\",\"count\":1}");
        await().atMost(BOUND).until(() -> !w.journal("refresh-session").isEmpty());
        await().atMost(BOUND).until(() -> w.journal("get-message").stream().anyMatch(e -> e.status() == 401)
                && w.journal("get-message").stream().filter(e -> e.status() == 202 || e.status() == 200)
                .anyMatch(e -> e.seq() > w.journal("refresh-session").get(0).seq()));
        List<Journal.Entry> polls = w.journal("get-message");
        Journal.Entry unauthorized = polls.stream().filter(e -> e.status() == 401).findFirst().orElseThrow();
        Journal.Entry refresh = w.journal("refresh-session").get(0);
        assertEquals(200, refresh.status());
        assertTrue(refresh.seq() > unauthorized.seq());
        assertFalse(r.exit().isDone(), "a refresh that works keeps even ARC running");
    }

    @Test
    void aRefreshThatAnswers404MakesTheResilientListenerStartANewSession() {
        World w = world();
        World.Running r = w.start(w.config("resilient", World.FAST_RESILIENT, 0, 10, "memory"), "pod-404");
        await().atMost(BOUND).until(() -> r.listener().ready());
        String first = r.listener().session().orElseThrow().sessionId();
        w.admin("PUT", "rules", "{\"evictSessionOnRefresh\":true}");
        w.admin("POST", "faults", "{\"kind\":\"status\",\"status\":401,\"endpoint\":\"get-message\",\"count\":1}");
        await().atMost(BOUND).until(() -> w.journal("refresh-session").stream().anyMatch(e -> e.status() == 404));
        w.admin("PUT", "rules", "{\"evictSessionOnRefresh\":false}");
        await().atMost(BOUND).until(() -> r.listener().ready()
                && r.listener().session().map(s -> !s.sessionId().equals(first)).orElse(false));
        assertFalse(r.exit().isDone());
        assertEquals(1, w.liveSessions());
    }

    @Test
    void aRefreshThatAnswers404EndsArcsListener() {
        World w = world();
        World.Running r = w.start(w.config("arc-legacy", "{}", 0, 10, "memory"), "pod-404-arc");
        await().atMost(BOUND).until(() -> r.listener().ready());
        w.admin("PUT", "rules", "{\"evictSessionOnRefresh\":true}");
        w.admin("POST", "faults", "{\"kind\":\"status\",\"status\":401,\"endpoint\":\"get-message\",\"count\":1}");
        await().atMost(BOUND).until(() -> r.exit().isDone());
        assertEquals(1, r.exit().join());
    }

    @ParameterizedTest
    @ValueSource(strings = {"arc-legacy", "arc-current"})
    void arcsListenerExits1OnASessionConflict(String policy) {
        World w = world();
        World.Running first = w.start(w.config("resilient", World.FAST_RESILIENT, 0, 10, "memory"), "pod-alive");
        await().atMost(BOUND).until(() -> first.listener().ready());
        World.Running second = w.start(w.config(policy, "{}", 0, 10, "memory"), "pod-second");
        await().atMost(BOUND).until(() -> second.exit().isDone());
        assertEquals(1, second.exit().join());
        assertTrue(second.eventSeen("session-conflicted"));
        assertTrue(w.journal("create-session").stream().anyMatch(e -> e.status() == 409));
    }

    @Test
    void aResilientListenerTakesOverTheSessionAKilledOneLeftWithNo409() {
        World w = world();
        String config = w.config("resilient", World.FAST_RESILIENT, 0, 10, "lease");
        World.Running killed = w.start(config, "pod-killed");
        await().atMost(BOUND).until(() -> killed.listener().ready());
        String orphan = killed.listener().session().orElseThrow().sessionId();
        killed.listener().abandon();   // SIGKILL: no session delete
        await().atMost(BOUND).until(() -> killed.exit().isDone());
        assertEquals(1, w.liveSessions(), "the orphaned session is still on the server");

        long mark = w.fake.journal().lastSeq();
        World.Running next = w.start(config, "pod-next");
        await().atMost(BOUND).until(() -> next.listener().ready());
        List<Journal.Entry> creates = w.journal("create-session").stream().filter(e -> e.seq() > mark).toList();
        assertEquals(List.of(200), creates.stream().map(Journal.Entry::status).toList(), "no 409 seen by the new listener");
        assertTrue(next.eventSeen("session-taken-over"));
        assertFalse(w.fake.state().snapshot().sessions().stream().anyMatch(s -> s.sessionId().equals(orphan)));
    }

    @Test
    void aRejectAllWindowIsRiddenOutAndTheListenerIsReadyOneBackoffStepAfterIt() {
        World w = world();
        w.admin("PUT", "rules", "{\"sessionConflict\":\"reject-all\"}");
        World.Running r = w.start(w.config("resilient", World.FAST_RESILIENT, 0, 10, "memory"), "pod-window");
        await().atMost(BOUND).until(() -> w.journal("create-session").stream().filter(e -> e.status() == 409).count() >= 3);
        assertFalse(r.listener().ready());
        assertFalse(r.exit().isDone(), "the listener never exits in the window");

        long windowEnd = w.fake.journal().lastSeq();
        w.admin("PUT", "rules", "{\"sessionConflict\":\"strict\"}");
        await().atMost(BOUND).until(() -> r.listener().ready());
        List<Integer> after = w.journal("create-session").stream().filter(e -> e.seq() > windowEnd).map(Journal.Entry::status).toList();
        assertEquals(List.of(200), after, "the first attempt after the window succeeds: one backoff step");
        assertTrue(r.eventSeen("recovered"));
    }

    @Test
    void aGracefulStopLeavesNoSessionOnTheServer() {
        World w = world();
        World.Running r = w.start(w.config("resilient", World.FAST_RESILIENT, 0, 10, "lease"), "pod-graceful");
        await().atMost(BOUND).until(() -> r.listener().ready());
        assertEquals(1, w.liveSessions());
        r.listener().stop();   // SIGTERM
        await().atMost(BOUND).until(() -> r.exit().isDone());
        assertEquals(0, r.exit().join());
        assertEquals(0, w.liveSessions());
        assertTrue(w.journal("delete-session").stream().anyMatch(e -> e.status() == 204));
        assertEquals(null, client.leases().inNamespace(World.NAMESPACE).withName("arcsim-listener-" + w.scaleSetId).get(),
                "a graceful stop leaves nothing to take over");
    }

    @Test
    void onlyTheLeaderPollsAndAStandbyTakesOverWhenTheLeaderIsKilled() {
        World w = world();
        String config = w.config("resilient", World.FAST_RESILIENT, 0, 10, "lease",
                ",\"arcsim_standby\":true,\"arcsim_lease_duration_seconds\":3");
        World.Running leader = w.start(config, "replica-a");
        await().atMost(BOUND).until(() -> leader.listener().ready());
        World.Running standby = w.start(config, "replica-b");
        await().atMost(BOUND).until(() -> standby.eventSeen("standing-by"));
        assertFalse(standby.listener().ready());
        assertEquals(1, w.journal("create-session").size(), "the standby opens no session");

        long mark = w.fake.journal().lastSeq();
        leader.listener().abandon();   // SIGKILL: the lease expires, the session stays behind
        await().atMost(BOUND).until(() -> standby.listener().ready());
        assertTrue(standby.eventSeen("leader-elected"));
        assertTrue(standby.eventSeen("session-taken-over"));
        assertEquals(List.of(200), w.journal("create-session").stream().filter(e -> e.seq() > mark)
                .map(Journal.Entry::status).toList(), "no 409 when the standby takes over");
        assertEquals(1, w.liveSessions());
    }

    @AfterAll
    static void noTokenWasEverLogged() {
        Set<String> secrets = RecordingTransport.secretsSeen();
        assertTrue(secrets.contains(World.PAT), "the suite used the PAT");
        assertTrue(secrets.size() > 3, "the suite saw registration, admin and message-queue tokens: " + secrets.size());
        List<String> lines = LogCapture.install().lines();
        assertTrue(lines.size() > 50, "the suite logged: " + lines.size());
        for (String line : lines) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a token was logged: " + line);
            }
        }
    }
}
