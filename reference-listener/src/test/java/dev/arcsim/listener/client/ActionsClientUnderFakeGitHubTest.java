package dev.arcsim.listener.client;

import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.junit.FakeGitHubAdmin;
import dev.arcsim.fake.junit.FakeGitHubTest;
import dev.arcsim.fake.junit.FaultSpec;
import dev.arcsim.fake.junit.RunningFakeGitHub;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.listener.wire.JdkTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener's client over real HTTP against a fake-github that {@code @FakeGitHubTest} starts for each test: the
 * faults the fake injects reach the client as the errors the listener's policies decide on.
 */
@FakeGitHubTest
class ActionsClientUnderFakeGitHubTest {

    private long scaleSet;
    private ActionsClient client;

    @BeforeEach
    void scaleSetAndClient(RunningFakeGitHub github) {
        scaleSet = github.createScaleSet("acme", "arc-runner-set");
        client = new ActionsClient(new JdkTransport("", Map.of()), new SystemScheduler(),
                ConfigUrl.parse(github.baseUrl() + "/acme"), new ActionsClient.Credentials.Pat("ghp_fake_github_test"),
                Duration.ofSeconds(30), "arcsim-test", false);
    }

    @Test
    void anInjected409IsASessionConflictAndTheNextCreateIsServed(FakeGitHubAdmin admin) throws Exception {
        admin.addFault(FaultSpec.status(409).on("create-session").count(1).id("stale-session"));
        ApiException conflict = assertThrows(ApiException.class, () -> client.createSession(scaleSet, "pod-1", false));
        assertTrue(conflict.isSessionConflict(), conflict.getMessage());

        MessageSession session = client.createSession(scaleSet, "pod-2", false);
        List<Journal.Entry> creates = admin.journal().stream().filter(e -> e.endpoint().equals("create-session")).toList();
        assertEquals(List.of(409, 200), creates.stream().map(Journal.Entry::status).toList());
        assertEquals("stale-session", creates.get(0).faults().get(0).id());
        assertEquals(1, admin.state().path("sessions").size(), "one session, pod-2's: " + session.sessionId());
    }

    @Test
    void a503WithRetryAfterReachesTheClientWithItsWait(FakeGitHubAdmin admin) throws Exception {
        MessageSession session = client.createSession(scaleSet, "pod", false);
        admin.addFault(FaultSpec.status(503).with("retryAfterSeconds", 7).on("get-message"));
        ApiException unavailable = assertThrows(ApiException.class, () -> client.getMessage(session, 0, 10));
        assertEquals(503, unavailable.status());
        assertTrue(unavailable.isRetryableStatus());
        assertEquals(Duration.ofSeconds(7), unavailable.retryAfter().orElseThrow());
        assertEquals(1, admin.requests("get-message", 503));
    }
}
