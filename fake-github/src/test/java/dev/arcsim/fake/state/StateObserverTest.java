package dev.arcsim.fake.state;

import dev.arcsim.fake.auth.Jwt;
import dev.arcsim.fake.random.RandomSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.RulesCodec;
import dev.arcsim.fake.testing.SteppingScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The state model reports each change, in order, with what changed and why. */
class StateObserverTest {

    @Test
    void aJobsLifeAndASessionsEndsAreReportedInOrder() throws Exception {
        SteppingScheduler clock = new SteppingScheduler();
        RandomSource random = new RandomSource(3);
        ServiceState state = new ServiceState(clock, random, new Jwt(random), Rules.defaults());
        List<String> seen = new ArrayList<>();
        state.observe((at, type, fields) -> seen.add(type + (fields.containsKey("reason") ? ":" + fields.get("reason") : "")));

        Tenant tenant = state.tenantFor("organization", "acme", "acme", null);
        long set = state.createScaleSet(tenant, "s", null, null, null).id();
        var session = state.createSession(tenant, set, "pod");
        assertThrows(ServiceError.class, () -> state.createSession(tenant, set, "pod-2"));
        long job = state.enqueueJobs(new ServiceState.JobRequest("s", null, "app", "ci.yml", "b", "push", 1), 1).get(0);
        state.acquire(session.messageQueueAccessToken(), set, List.of(job));
        var jit = state.generateJitConfig(tenant, set, "r1");
        state.runnerConnect(jit.runnerToken());
        state.runnerTakeJob(jit.runnerToken());
        state.runnerComplete(jit.runnerToken(), job, "succeeded");
        state.deleteSession(tenant, set, UUID.fromString(session.sessionId()));
        state.createSession(tenant, set, "pod-3");
        clock.advance(Duration.ofSeconds(300));
        state.snapshot();   // lets the orphan TTL act

        assertEquals(List.of("scale-set-created", "session-created", "session-conflicted", "job-queued", "job-offered",
                "job-acquired", "job-assigned", "runner-registered", "job-started", "job-completed", "runner-removed",
                "session-ended:deleted", "session-created", "session-ended:expired"), seen);
    }

    /**
     * A job acquired by a scale set that is then deleted server-side is offered anew to the set of the same name that
     * comes back; its second acquisition is of that new offer. (The offer number stayed 0, so no-job-twice failed
     * a real-cluster run of scale-set-deleted-server-side whenever the deletion fell between acquire and start.)
     */
    @Test
    void aJobAcquiredBeforeItsScaleSetWasDeletedIsAcquiredAgainInANewOffer() throws Exception {
        SteppingScheduler clock = new SteppingScheduler();
        RandomSource random = new RandomSource(3);
        ServiceState state = new ServiceState(clock, random, new Jwt(random), Rules.defaults());
        List<Object> offers = new ArrayList<>();
        state.observe((at, type, fields) -> {
            if (type.equals("job-acquired")) {
                offers.add(fields.get("offer"));
            }
        });
        Tenant tenant = state.tenantFor("organization", "acme", "acme", null);
        long first = state.createScaleSet(tenant, "s", null, null, null).id();
        var session = state.createSession(tenant, first, "pod");
        long job = state.enqueueJobs(new ServiceState.JobRequest("s", null, "app", "ci.yml", "b", "push", 1), 1).get(0);
        assertEquals(List.of(job), state.acquire(session.messageQueueAccessToken(), first, List.of(job)));
        state.applyRules(RulesCodec.merge(Rules.defaults(), new ObjectMapper().readTree("{\"scaleSetDeleted\":true}"), ""));
        state.applyRules(Rules.defaults());
        long second = state.createScaleSet(tenant, "s", null, null, null).id();
        var again = state.createSession(tenant, second, "pod");
        assertEquals(List.of(job), state.acquire(again.messageQueueAccessToken(), second, List.of(job)));
        assertEquals(List.of(0, 1), offers);
    }
}
