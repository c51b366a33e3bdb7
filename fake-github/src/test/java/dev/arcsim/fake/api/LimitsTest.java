package dev.arcsim.fake.api;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.SteppingScheduler;
import dev.arcsim.fake.testing.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.arcsim.fake.testing.TestClient.expect;
import static dev.arcsim.fake.testing.TestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one request may carry: beyond the fake's bounds it answers 400 or 413 naming the bound, and keeps nothing. */
class LimitsTest {

    private FakeGitHub fake;
    private TestClient client;

    @BeforeEach
    void setUp() {
        fake = new FakeGitHub(new SteppingScheduler(), FakeGitHub.Options.defaults());
        client = new TestClient(new InProcessTransport(fake), "acme").register();
    }

    private static String longName(int length) {
        return "n".repeat(length);
    }

    @Test
    void aBodyOverTheBoundIs413OnEveryApiAndNothingIsCreated() {
        byte[] huge = ("{\"name\":\"" + longName(Limits.MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        var service = client.send("POST", client.serviceUrl() + "_apis/runtime/runnerscalesets?api-version=6.0-preview",
                Map.of("Authorization", "Bearer " + client.adminToken(), "Content-Type", "application/json"), huge);
        expect(service, 413);
        assertTrue(json(service).get("message").asText().contains("at most " + Limits.MAX_BODY_BYTES), service.bodyText());
        var rest = client.send("POST", client.transport().baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token",
                Map.of("Authorization", "Bearer ghp_x"), huge);
        expect(rest, 413);
        assertTrue(json(rest).has("message") && !json(rest).has("typeName"), "GitHub REST's error shape: " + rest.bodyText());
        var admin = client.send("POST", client.transport().baseUrl() + "/_arcsim/jobs", Map.of(), huge);
        expect(admin, 413);
        assertTrue(json(admin).get("error").asText().contains("bytes"), admin.bodyText());
        assertEquals(0, fake.state().snapshot().scaleSets().size());
        assertEquals(0, fake.state().snapshot().jobs().size());
    }

    @Test
    void namesAndLabelsOverTheirBoundsAre400AndAtTheBoundAreTaken() {
        String rss = "_apis/runtime/runnerscalesets";
        var tooLong = client.admin("POST", rss, "{\"name\":\"" + longName(Limits.MAX_NAME_LENGTH + 1) + "\",\"runnerGroupId\":1}");
        expect(tooLong, 400);
        assertTrue(json(tooLong).get("message").asText().startsWith("name has 257 characters"), tooLong.bodyText());

        StringBuilder labels = new StringBuilder("[");
        for (int i = 0; i <= Limits.MAX_LABELS; i++) {
            labels.append(i == 0 ? "" : ",").append("{\"type\":\"User\",\"name\":\"l").append(i).append("\"}");
        }
        var tooMany = client.admin("POST", rss, "{\"name\":\"s\",\"runnerGroupId\":1,\"labels\":" + labels + "]}");
        expect(tooMany, 400);
        assertTrue(json(tooMany).get("message").asText().contains("at most " + Limits.MAX_LABELS), tooMany.bodyText());
        var longLabel = client.admin("POST", rss, "{\"name\":\"s\",\"runnerGroupId\":1,\"labels\":[{\"name\":\""
                + longName(Limits.MAX_NAME_LENGTH + 1) + "\"}]}");
        expect(longLabel, 400);
        assertTrue(json(longLabel).get("message").asText().startsWith("labels[].name"), longLabel.bodyText());
        assertEquals(0, fake.state().snapshot().scaleSets().size(), "no refused request made a scale set");

        expect(client.admin("POST", rss, "{\"name\":\"" + longName(Limits.MAX_NAME_LENGTH) + "\",\"runnerGroupId\":1}"), 200);
        long id = fake.state().snapshot().scaleSets().get(0).id();
        var owner = client.createSessionRaw(id, longName(Limits.MAX_NAME_LENGTH + 1));
        expect(owner, 400);
        assertTrue(json(owner).get("message").asText().startsWith("ownerName"), owner.bodyText());
        var runner = client.jitConfig(id, longName(Limits.MAX_NAME_LENGTH + 1));
        expect(runner, 400);
        assertEquals(0, fake.state().snapshot().sessions().size() + fake.state().snapshot().runners().size());
    }

    @Test
    void anAdminCallQueuesAtMostTheBoundOfJobsWithNamesWithinTheirs() {
        var many = client.adminApi("POST", "jobs", "{\"scaleSet\":\"s\",\"count\":" + (Limits.MAX_JOBS_PER_CALL + 1) + "}");
        expect(many, 400);
        assertEquals("count", json(many).get("field").asText());
        var name = client.adminApi("POST", "jobs", "{\"scaleSet\":\"s\",\"repository\":\"" + longName(Limits.MAX_NAME_LENGTH + 1) + "\"}");
        expect(name, 400);
        assertEquals("repository", json(name).get("field").asText());
        assertEquals(0, fake.state().snapshot().jobs().size());
        expect(client.adminApi("POST", "jobs", "{\"scaleSet\":\"s\",\"count\":" + Limits.MAX_JOBS_PER_CALL + "}"), 201);
        assertEquals(Limits.MAX_JOBS_PER_CALL, fake.state().snapshot().jobs().size());
    }
}
