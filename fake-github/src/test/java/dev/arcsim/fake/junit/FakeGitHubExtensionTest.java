package dev.arcsim.fake.junit;

import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.testing.HttpTransport;
import dev.arcsim.fake.testing.InProcessTransport;
import dev.arcsim.fake.testing.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@code @FakeGitHubTest} as a user's test meets it: the sample classes below are run by JUnit's own engine (through
 * its test kit, so what happens before and after each test can be observed from outside), not by the build directly.
 */
class FakeGitHubExtensionTest {

    /** What each sample test saw, for the outer test to look at after the run. */
    static final List<RunningFakeGitHub> SEEN = new CopyOnWriteArrayList<>();

    private static Events run(Class<?> sample) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    @FakeGitHubTest(rules = "{\"longPollSeconds\": 1}")
    static class OverHttp {
        @Test
        void aFaultAddedIsWhatTheClientGets(RunningFakeGitHub github, FakeGitHubAdmin admin) throws Exception {
            SEEN.add(github);
            assertTrue(github.baseUrl().startsWith("http://127.0.0.1:"), github.baseUrl());
            assertEquals(1, admin.rules().longPollSeconds(), "the annotation's rules are in force");
            TestClient client = new TestClient(new HttpTransport(github.baseUrl(), Duration.ofSeconds(10)), "acme").register();
            long scaleSet = client.createScaleSet("arc-runner-set");
            String id = admin.addFault(FaultSpec.status(409).on("create-session").count(1));
            assertEquals(409, client.createSessionRaw(scaleSet, "pod-1").status());
            assertEquals(200, client.createSessionRaw(scaleSet, "pod-2").status(), "count 1: the second is served");
            List<Journal.Entry> sessions = admin.journal().stream().filter(e -> e.endpoint().equals("create-session")).toList();
            assertEquals(List.of(409, 200), sessions.stream().map(Journal.Entry::status).toList());
            assertEquals(id, sessions.get(0).faults().get(0).id());
            assertEquals(1, admin.requests("create-session", 409));
            assertEquals(2, admin.queueJobs("arc-runner-set", 2, Duration.ofSeconds(5)).size());
        }

        @Test
        void eachTestHasAFreshFake(RunningFakeGitHub github, FakeGitHubAdmin admin) {
            SEEN.add(github);
            assertEquals(List.of(), admin.journal(), "nothing from the test before");
            assertEquals(0, admin.faults().size(), "no fault from the test before");
        }
    }

    @Test
    void overHttpAFreshFakeServesEachTestAndStopsAfterIt() {
        Events events = run(OverHttp.class);
        events.assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        assertEquals(2, SEEN.size());
        assertNotEquals(SEEN.get(0).fake(), SEEN.get(1).fake());
        for (RunningFakeGitHub github : SEEN) {
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", github.port()).close(),
                    "port " + github.port() + " still serves after its test");
        }
    }

    @FakeGitHubTest(mode = FakeGitHubTest.Mode.IN_PROCESS, seed = 7)
    static class InProcess {
        TestClient client;

        @BeforeEach
        void register(RunningFakeGitHub github) {
            client = new TestClient(new InProcessTransport(github.fake()), "acme").register();
        }

        @Test
        void theSameAdminCallsWithoutAServer(RunningFakeGitHub github, FakeGitHubAdmin admin) throws IOException {
            SEEN.add(github);
            assertEquals(FakeGitHubTest.Mode.IN_PROCESS, github.mode());
            IllegalStateException noUrl = assertThrows(IllegalStateException.class, github::baseUrl);
            assertTrue(noUrl.getMessage().contains("mode = HTTP"), noUrl.getMessage());
            long scaleSet = github.createScaleSet("acme", "arc-runner-set");
            admin.addFault(FaultSpec.status(503).on("create-session").id("outage"));
            ApiResponse refused = client.createSessionRaw(scaleSet, "pod");
            assertEquals(503, refused.status());
            assertEquals("outage", admin.journal().getLast().faults().get(0).id());
            admin.removeFault("outage");
            assertEquals(200, client.createSessionRaw(scaleSet, "pod").status());
        }

        @Test
        void aCallTheFakeRefusesSaysWhy(FakeGitHubAdmin admin) {
            FakeGitHubAdmin.AdminException bad = assertThrows(FakeGitHubAdmin.AdminException.class,
                    () -> admin.addFault(FaultSpec.status(299)));
            assertEquals(400, bad.status());
            assertTrue(bad.getMessage().contains("status"), bad.getMessage());
            FakeGitHubAdmin.AdminException missing = assertThrows(FakeGitHubAdmin.AdminException.class,
                    () -> admin.removeFault("nope"));
            assertEquals(404, missing.status());
            assertTrue(admin.updateRules("{\"evictSessionOnRefresh\": true}").evictSessionOnRefresh());
            assertTrue(admin.rules().evictSessionOnRefresh());
        }
    }

    @Test
    void inProcessTheSameCallsWorkAndRefusalsNameTheField() {
        run(InProcess.class).assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        assertEquals(1, SEEN.size());
    }

    @FakeGitHubTest(rules = "{\"noSuchRule\": 1}")
    static class BadRules {
        @Test
        void never(RunningFakeGitHub github) {
            SEEN.add(github);
        }
    }

    @FakeGitHubTest
    static class NoFakeBeforeAll {
        @BeforeAll
        static void tooEarly(RunningFakeGitHub github) {
            SEEN.add(github);
        }

        @Test
        void one() {
        }
    }

    @Test
    void aBadRuleOrAFakeAskedForTooEarlyFailsTheTestSayingWhy() {
        Events bad = run(BadRules.class);
        bad.assertStatistics(s -> s.started(1).failed(1));
        Throwable why = bad.failed().list().get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
        assertTrue(why.getMessage().contains("@FakeGitHubTest(rules = ...)") && why.getMessage().contains("noSuchRule"),
                why.getMessage());
        assertEquals(List.of(), SEEN);

        Events early = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NoFakeBeforeAll.class)).execute()
                .containerEvents();
        Throwable tooEarly = early.failed().list().get(0)
                .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertTrue(tooEarly.getMessage().contains("a fake-github exists for one test at a time"), tooEarly.getMessage());
        assertEquals(List.of(), SEEN);
    }
}
