package dev.arcsim.fake.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fake that serves for a week keeps what it needs and counts the rest: completed jobs and expired tokens. */
class RetentionTest {

    private final SteppingScheduler clock = new SteppingScheduler();

    @Test
    void completedJobsPastTheBoundAreRetiredWithTheirCountsKept() {
        FakeGitHub fake = new FakeGitHub(clock, FakeGitHub.Options.defaults().withRetainedCompletedJobs(3));
        TestClient client = new TestClient(new InProcessTransport(fake), "acme").register();
        long set = client.createScaleSet("arc-runner-set");
        TestClient.Session session = client.createSession(set, "pod");
        expect(client.adminApi("POST", "jobs", "{\"scaleSet\":\"arc-runner-set\",\"count\":8}"), 201);
        List<Long> ids = new ArrayList<>();
        fake.state().snapshot().jobs().forEach(j -> ids.add(j.runnerRequestId()));
        expect(client.acquire(session, set, ids), 200);
        for (int i = 0; i < ids.size(); i++) {
            String runner = TestClient.runnerToken(json(client.jitConfig(set, "runner-" + i)));
            expect(client.runner(runner, "connect", null), 200);
            long job = json(client.runner(runner, "job", null)).get("runnerRequestId").asLong();
            expect(client.runner(runner, "complete", "{\"runnerRequestId\":" + job + ",\"result\":\"succeeded\"}"), 204);
        }

        var snapshot = fake.state().snapshot();
        assertEquals(List.of(1006L, 1007L, 1008L), snapshot.jobs().stream().map(Views.JobView::runnerRequestId).toList(),
                "the three newest completed jobs stay readable");
        assertEquals(8, snapshot.jobsByState().get("completed"), "retired jobs still count as completed");
        assertEquals(5, snapshot.jobsRetired());
        assertEquals(8, fake.state().counts().jobs(JobState.COMPLETED));
        assertEquals(new FakeGitHub.Held(3, 5, fake.held().tokens(), fake.held().journalEntries()), fake.held());
        assertEquals(fake.state().recountStatistics(set), snapshot.scaleSets().get(0).statistics(),
                "statistics are what the kept jobs say");
        JsonNode state = json(client.adminApi("GET", "state", null));
        assertEquals(5, state.get("jobsRetired").asInt());
        assertEquals(8, state.get("jobsByState").get("completed").asInt());

        var again = client.acquire(session, set, List.of(1001L));
        expect(again, 200);
        assertEquals(0, json(again).get("count").asInt(), "a retired job cannot be acquired again");
        assertTrue(fake.state().job(1001).isEmpty());
    }

    @Test
    void tokensAreForgottenAnHourAfterTheyExpireSoTheirNumberStaysBounded() {
        FakeGitHub fake = new FakeGitHub(clock, FakeGitHub.Options.defaults());
        TestClient client = new TestClient(new InProcessTransport(fake), "acme").register();
        String firstAdminToken = client.adminToken();
        String tokenUrl = client.transport().baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token";
        int most = 0;
        for (int minute = 0; minute < 600; minute++) {          // ten hours, a registration token a minute
            clock.advance(Duration.ofMinutes(1));
            expect(client.send("POST", tokenUrl, Map.of("Authorization", "Bearer ghp_x"), null), 201);
            most = Math.max(most, fake.held().tokens());
            if (minute == 30) {
                // 10 min TTL + 20 min: expired, not yet forgotten
                assertEquals("The admin token has expired.", adminCallWith(client, firstAdminToken));
            }
        }
        // each token lives 1 h and is kept 1 h more, and forgetting runs every 64 issues: at most 2 h + 64 of them
        assertTrue(most <= 120 + 64 + 1, "tokens held at most " + most);
        assertTrue(fake.held().tokens() >= 60, "live tokens are kept: " + fake.held().tokens());
        assertEquals("The admin token is not valid.", adminCallWith(client, firstAdminToken), "forgotten after an hour");
    }

    private static String adminCallWith(TestClient client, String adminToken) {
        var r = client.send("GET", client.serviceUrl() + "_apis/runtime/runnerscalesets?api-version=6.0-preview",
                Map.of("Authorization", "Bearer " + adminToken), null);
        expect(r, 401);
        return json(r).get("message").asText();
    }
}
