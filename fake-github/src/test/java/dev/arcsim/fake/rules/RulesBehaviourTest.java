package dev.arcsim.fake.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;
import dev.arcsim.fake.testing.TestClient.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.jobMessages;
import static dev.arcsim.fake.testing.TestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API rules, each changed at run time through the admin API and observed as a client sees it. */
class RulesBehaviourTest {

    private SteppingScheduler clock;
    private FakeGitHub fake;
    private TestClient client;
    private long scaleSetId;

    @BeforeEach
    void setUp() {
        clock = new SteppingScheduler();
        fake = new FakeGitHub(clock, FakeGitHub.Options.defaults());
        client = new TestClient(new InProcessTransport(fake), "acme").register();
        scaleSetId = client.createScaleSet("arc-runner-set");
    }

    private void rules(String json) {
        expect(client.adminApi("PUT", "rules", json), 200);
    }

    private List<Long> queue(int count) {
        List<Long> ids = new ArrayList<>();
        json(client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\",\"count\":" + count + "}")).get("ids")
                .forEach(n -> ids.add(n.asLong()));
        return ids;
    }

    @Test
    void strictConflictsUntilTheOrphanedSessionHasGoneUnpolledForTheTtl() {
        rules("{\"orphanSessionTtlSeconds\":120}");
        client.createSession(scaleSetId, "crashed-pod");   // never polled again: a SIGKILLed listener
        clock.advance(Duration.ofSeconds(119));
        expect(client.createSessionRaw(scaleSetId, "new-pod"), 409);
        clock.advance(Duration.ofSeconds(1));
        expect(client.createSessionRaw(scaleSetId, "new-pod"), 200);
    }

    @Test
    void aSessionThatKeepsPollingIsNeverOrphaned() {
        rules("{\"orphanSessionTtlSeconds\":120,\"longPollSeconds\":50}");
        Session s = client.createSession(scaleSetId, "live-pod");
        for (int i = 0; i < 10; i++) {
            expect(client.poll(s, 0, 10), 202);  // each empty poll parks 50 s of virtual time
        }
        assertTrue(Duration.between(Instant.parse("2026-01-01T10:00:00Z"), clock.now()).toSeconds() >= 500);
        expect(client.createSessionRaw(scaleSetId, "other-pod"), 409);
    }

    @Test
    void replaceEvictsTheOldSession() {
        rules("{\"sessionConflict\":\"replace\"}");
        Session old = client.createSession(scaleSetId, "pod-1");
        Session replacement = client.createSession(scaleSetId, "pod-2");
        expect(client.poll(old, 0, 10), 401);
        expect(client.refreshSession(scaleSetId, old.id()), 404);
        expect(client.poll(replacement, 0, 10), 202);
    }

    @Test
    void rejectAllConflictsWithNoSessionAliveUntilRolledBack() {
        rules("{\"sessionConflict\":\"reject-all\"}");
        var r = client.createSessionRaw(scaleSetId, "pod");
        expect(r, 409);
        assertTrue(json(r).get("typeName").asText().contains("RunnerScaleSetSessionConflictException"));
        assertEquals(0, fake.state().snapshot().sessions().size());
        rules("{\"sessionConflict\":\"strict\"}");
        expect(client.createSessionRaw(scaleSetId, "pod"), 200);
    }

    @Test
    void evictSessionOnRefreshAnswers404AndFreesTheScaleSet() {
        Session s = client.createSession(scaleSetId, "pod");
        rules("{\"evictSessionOnRefresh\":true}");
        var r = client.refreshSession(scaleSetId, s.id());
        expect(r, 404);
        assertTrue(json(r).get("message").asText().contains("doesn't exist in redis"));
        expect(client.createSessionRaw(scaleSetId, "pod"), 200);
    }

    @Test
    void scaleSetDeletedAnswers404AndItsJobsWaitForAScaleSetOfTheSameName() {
        Session s = client.createSession(scaleSetId, "pod");
        List<Long> ids = queue(2);
        rules("{\"scaleSetDeleted\":true}");
        var gone = client.admin("GET", "_apis/runtime/runnerscalesets/" + scaleSetId, null);
        expect(gone, 404);
        assertTrue(json(gone).get("typeName").asText().contains("RunnerScaleSetNotFoundException"));
        expect(client.createSessionRaw(scaleSetId, "pod"), 404);
        expect(client.poll(s, 0, 10), 401);

        long recreated = client.createScaleSet("arc-runner-set");
        Session fresh = client.createSession(recreated, "pod");
        JsonNode offered = jobMessages(client.poll(fresh, 0, 10));
        assertEquals(ids.size(), offered.size());
        offered.forEach(m -> assertEquals("JobAvailable", m.get("messageType").asText()));
    }

    @Test
    void anAssignedJobNoRunnerStartsIsCanceledAndReofferedUpToTheLimit() {
        rules("{\"jobReassignments\":2,\"jobReassignAfterSeconds\":300,\"orphanSessionTtlSeconds\":3600}");
        Session s = client.createSession(scaleSetId, "pod");
        long id = queue(1).get(0);
        long last = json(client.poll(s, 0, 10)).get("messageId").asLong();
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            expect(client.acquire(s, scaleSetId, List.of(id)), 200);
            clock.advance(Duration.ofSeconds(300));
            var msg = client.poll(s, last, 10);
            if (msg.status() == 202) {
                break;
            }
            last = json(msg).get("messageId").asLong();
            jobMessages(msg).forEach(m -> seen.add(m.get("messageType").asText()
                    + (m.has("result") ? ":" + m.get("result").asText() : "")));
            client.ack(s, last);
        }
        assertEquals(List.of("JobAssigned", "JobCompleted:canceled", "JobAvailable",
                "JobAssigned", "JobCompleted:canceled", "JobAvailable", "JobAssigned"), seen);
        assertEquals(2, fake.state().job(id).orElseThrow().reassignments());
    }

    @Test
    void jobMessagesArePackedAtMostMaxPerMessageAndIdsIncrease() {
        rules("{\"maxJobMessagesPerMessage\":50}");
        Session s = client.createSession(scaleSetId, "pod");
        queue(120);
        List<Integer> sizes = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < 3; i++) {
            var msg = client.poll(s, last, 10);
            long id = json(msg).get("messageId").asLong();
            assertTrue(id > last, "message ids increase");
            last = id;
            sizes.add(jobMessages(msg).size());
            client.ack(s, id);
        }
        assertEquals(List.of(50, 50, 20), sizes);
        assertEquals(120, fake.state().snapshot().scaleSets().get(0).statistics().totalAvailableJobs(),
                "delivering and acking offers acquires nothing");
    }

    @Test
    void anEmptyPollParksForTheLongPollWindow() {
        rules("{\"longPollSeconds\":50}");
        Session s = client.createSession(scaleSetId, "pod");
        Instant before = clock.now();
        expect(client.poll(s, 0, 10), 202);
        assertEquals(Duration.ofSeconds(50), Duration.between(before, clock.now()));
    }

    @Test
    void unackedMessagesAreRedeliveredToASessionStartingFromZero() {
        rules("{\"orphanSessionTtlSeconds\":60}");
        Session crashed = client.createSession(scaleSetId, "pod-1");
        queue(1);
        long id = json(client.poll(crashed, 0, 10)).get("messageId").asLong();
        // no ack: the listener died; the next one starts with lastMessageId 0
        clock.advance(Duration.ofSeconds(60));
        Session next = client.createSession(scaleSetId, "pod-2");
        var again = client.poll(next, 0, 10);
        assertEquals(id, json(again).get("messageId").asLong());
        client.ack(next, id);
        expect(client.poll(next, 0, 10), 202);
    }

    @Test
    void adminTokensExpireAfterTheirTtl() {
        rules("{\"adminTokenTtlSeconds\":600}");
        TestClient fresh = new TestClient(client.transport(), "acme").register();
        clock.advance(Duration.ofSeconds(600));
        var r = fresh.admin("GET", "_apis/runtime/runnerscalesets?name=x", null);
        expect(r, 401);
        fresh.register();
        expect(fresh.admin("GET", "_apis/runtime/runnerscalesets?name=x", null), 200);
    }

    @Test
    void anAdminTokenTtlWithinTheClientsRenewalMarginIsRefusedSayingWhy() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.arcsim.fake.input.InvalidInputException.class,
                () -> RulesCodec.merge(Rules.defaults(), new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("adminTokenTtlSeconds", 30), "rules"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("adminTokenTtlSeconds")
                && e.getMessage().contains("must be above 60 s, got 30") && e.getMessage().contains("re-registers"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(61, RulesCodec.merge(Rules.defaults(),
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("adminTokenTtlSeconds", 61), "rules")
                .adminTokenTtlSeconds());
    }
}
