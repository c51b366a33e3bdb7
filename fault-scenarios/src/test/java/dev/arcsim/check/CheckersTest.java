package dev.arcsim.check;

import dev.arcsim.history.History;
import dev.arcsim.history.HistoryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each checker on hand-made histories: the violation it exists for fails it, with evidence; a clean run passes. */
class CheckersTest {

    private final History h = new History();
    private int second;

    private void e(String type, Object... kv) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        h.record(Instant.parse("2026-01-01T10:00:00Z").plusSeconds(second++), "fake-github", type, fields);
    }

    private void cleanJob(long job, long runner) {
        e("job-queued", "job", job);
        e("job-offered", "job", job);
        e("job-acquired", "job", job, "session", "s1", "offer", 0);
        e("job-assigned", "job", job);
        e("runner-registered", "runner", runner);
        e("job-started", "job", job, "runner", runner);
        e("job-completed", "job", job, "result", "succeeded");
        e("runner-removed", "runner", runner);
    }

    private List<Verdict> all(int min, int max) {
        List<HistoryEvent> events = h.events();
        return List.of(new NoJobLost().check(events), new NoJobTwice().check(events), new RunnerBounds(min, max).check(events),
                new NoSessionLeak().check(events));
    }

    @Test
    void aCleanRunPassesEveryChecker() {
        e("session-created", "session", "s1");
        cleanJob(1001, 1);
        cleanJob(1002, 2);
        e("session-ended", "session", "s1", "reason", "deleted");
        all(0, 10).forEach(v -> assertTrue(v.ok(), v.invariant() + ": " + v.message()));
    }

    @Test
    void aJobThatNeverCompletedIsLost() {
        cleanJob(1001, 1);
        e("job-queued", "job", 1002);
        e("job-canceled", "job", 1002, "reassignment", 1);
        Verdict v = new NoJobLost().check(h.events());
        assertFalse(v.ok());
        assertEquals(List.of("1002"), v.evidence().stream().map(x -> x.text("job")).toList());
    }

    @Test
    void aJobStartedByTwoRunnersOrAcquiredTwiceInOneOfferRanTwice() {
        cleanJob(1001, 1);
        e("job-started", "job", 1001, "runner", 2);
        Verdict started = new NoJobTwice().check(h.events());
        assertFalse(started.ok());
        assertEquals(2, started.evidence().size());

        History again = new History();
        again.record(Instant.EPOCH, "fake-github", "job-acquired", Map.of("job", 7, "offer", 0, "session", "a"));
        again.record(Instant.EPOCH, "fake-github", "job-acquired", Map.of("job", 7, "offer", 1, "session", "b"));
        assertTrue(new NoJobTwice().check(again.events()).ok(), "a re-offered job may be acquired again");
        again.record(Instant.EPOCH, "fake-github", "job-acquired", Map.of("job", 7, "offer", 1, "session", "c"));
        assertFalse(new NoJobTwice().check(again.events()).ok());
    }

    @Test
    void runnersAboveMaxOrNotBackAtMinBreakTheBounds() {
        for (int r = 1; r <= 3; r++) {
            e("runner-registered", "runner", r);
        }
        Verdict over = new RunnerBounds(0, 2).check(h.events());
        assertFalse(over.ok());
        assertTrue(over.message().contains("above maxRunners 2"), over.message());
        Verdict notAtRest = new RunnerBounds(0, 5).check(h.events());
        assertFalse(notAtRest.ok());
        assertTrue(notAtRest.message().contains("3 runner(s) at rest, not minRunners 0"), notAtRest.message());
        assertTrue(new RunnerBounds(3, 5).check(h.events()).ok());
    }

    @Test
    void aSessionLeftOnTheServerIsALeak() {
        e("session-created", "session", "s1");
        e("session-created", "session", "s2");
        e("session-ended", "session", "s1", "reason", "deleted");
        Verdict v = new NoSessionLeak().check(h.events());
        assertFalse(v.ok());
        assertEquals("s2", v.evidence().get(0).text("session"));
    }

    private static Map<String, Object> poll(int status, long ms) {
        return Map.of("endpoint", "get-message", "status", status, "ms", ms);
    }

    @Test
    void recoveryIsTheTimeFromADisruptionToTheFirstSuccessfulPollBegunAfterItAndIsBounded() {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        History quick = new History();
        quick.record(t0.minusSeconds(1), "fake-github", "job-queued", Map.of("job", 1001L));
        quick.record(t0, "timeline", "disruption", Map.of("what", "listener-killed"));
        // a poll begun before the kill and answered after it does not count: it belongs to the old listener
        quick.record(t0.plusSeconds(1), "fake-github", "api-call", poll(202, 2000));
        quick.record(t0.plusSeconds(2), "fake-github", "api-call", poll(409, 10));
        quick.record(t0.plusSeconds(4), "fake-github", "api-call", poll(200, 1000));   // begun at +3 s
        quick.record(t0.plusSeconds(5), "fake-github", "api-call", Map.of("endpoint", "acquire-jobs", "status", 200, "ms", 5L));
        quick.record(t0.plusSeconds(7), "fake-github", "job-started", Map.of("job", 1001L));
        BoundedRecovery.Recovery r = BoundedRecovery.recoveries(quick.events()).get(0);
        assertEquals(3.0, r.toFirstPoll());
        assertEquals(5.0, r.toFirstAcquire());
        assertEquals(7.0, r.toBacklogDrained());
        assertTrue(new BoundedRecovery(java.time.Duration.ofSeconds(5)).check(quick.events()).ok());

        History slow = new History();
        slow.record(t0, "timeline", "disruption", Map.of("what", "listener-killed"));
        slow.record(t0.plusSeconds(2), "listener", "api-call", poll(200, 0));   // not the service's
        slow.record(t0.plusSeconds(8), "fake-github", "api-call", poll(202, 0));
        Verdict v = new BoundedRecovery(java.time.Duration.ofSeconds(5)).check(slow.events());
        assertFalse(v.ok());
        assertTrue(v.message().contains("worst recovery 8.0 s > 5 s"), v.message());
        assertEquals(1, v.evidence().size());

        History never = new History();
        never.record(t0, "timeline", "disruption", Map.of("what", "listener-killed"));
        never.record(t0.plusSeconds(1), "fake-github", "api-call", poll(503, 0));
        assertTrue(new BoundedRecovery(java.time.Duration.ofSeconds(5)).check(never.events()).message().contains("never"));
        assertTrue(new BoundedRecovery(java.time.Duration.ofSeconds(5)).check(new History().events()).ok(), "no disruption");
    }

    @Test
    void aPollAFaultAnsweredWithAnEmpty200IsNotARecovery() {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        History h = new History();
        h.record(t0, "timeline", "disruption", Map.of("what", "listener-killed"));
        h.record(t0.plusSeconds(2), "fake-github", "api-call", Map.of("endpoint", "get-message", "status", 200, "ms", 0L,
                "altered", true));
        h.record(t0.plusSeconds(3), "fake-github", "api-call", Map.of("endpoint", "acquire-jobs", "status", 200, "ms", 0L,
                "altered", true));
        h.record(t0.plusSeconds(81), "fake-github", "api-call", poll(200, 0));
        h.record(t0.plusSeconds(82), "fake-github", "api-call", Map.of("endpoint", "acquire-jobs", "status", 200, "ms", 0L));
        BoundedRecovery.Recovery r = BoundedRecovery.recoveries(h.events()).get(0);
        assertEquals(81.0, r.toFirstPoll(), "the first poll the service itself answered");
        assertEquals(82.0, r.toFirstAcquire());
        assertFalse(new BoundedRecovery(java.time.Duration.ofSeconds(60)).check(h.events()).ok());
    }

    @Test
    void onlyTheServicesEventsCountNotOtherActorsOfTheSameName() {
        e("session-created", "session", "s1");
        h.record(Instant.parse("2026-01-01T10:00:00Z"), "listener", "session-created", Map.of("sessionId", "s1"));
        h.record(Instant.parse("2026-01-01T10:00:00Z"), "listener", "job-queued", Map.of("job", 99));
        e("session-ended", "session", "s1", "reason", "deleted");
        assertTrue(new NoSessionLeak().check(h.events()).ok());
        assertTrue(new NoJobLost().check(h.events()).ok());
    }

    @Test
    void aHistoryRoundTripsThroughJsonl(@TempDir Path dir) throws Exception {
        e("session-created", "session", "s1", "scaleSet", 1);
        cleanJob(1001, 1);
        h.writeJsonl(dir.resolve("history.jsonl"));
        History read = History.readJsonl(dir.resolve("history.jsonl"));
        assertEquals(h.events().size(), read.events().size());
        assertEquals(h.events().get(0).at(), read.events().get(0).at());
        assertEquals("s1", read.events().get(0).text("session"));
        assertEquals(all(0, 10).stream().map(Verdict::ok).toList(),
                List.of(new NoJobLost().check(read.events()).ok(), new NoJobTwice().check(read.events()).ok(),
                        new RunnerBounds(0, 10).check(read.events()).ok(), new NoSessionLeak().check(read.events()).ok()));
    }
}
