package dev.arcsim.fake.state;

import dev.arcsim.fake.auth.Jwt;
import dev.arcsim.fake.random.RandomSource;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.SessionConflict;
import dev.arcsim.fake.state.Views.JitConfig;
import dev.arcsim.fake.state.Views.SessionView;
import dev.arcsim.fake.testing.PropertyCheck;
import dev.arcsim.fake.testing.PropertyCheck.Failure;
import dev.arcsim.fake.testing.SteppingScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of client operations (sessions, polls, acks, acquires, runners, enqueues, time passing) against
 * the state model, with its invariants checked after every step:
 * a job is acquired at most once per offer; at most one live session per scale set; new message ids increase and a
 * redelivered message is the same message; statistics always equal a recount of the jobs and runners; no job is
 * lost or made up.
 */
class ServiceStatePropertyTest {

    private static final long SEED = Long.getLong("arcsim.seed", 20261122L);

    /** One client operation. Indexes pick among what the driver knows (sessions, runners, ids) modulo its size. */
    sealed interface Op {
        record Enqueue(int count) implements Op { }
        record CreateSession() implements Op { }
        record RefreshSession() implements Op { }
        record DeleteSession() implements Op { }
        record Poll(boolean fromZero) implements Op { }
        record Ack() implements Op { }
        record Acquire(int pick, boolean withUnknownId) implements Op { }
        record Jit() implements Op { }
        record RunnerConnect(int runner) implements Op { }
        record RunnerTake(int runner) implements Op { }
        record RunnerComplete(int runner) implements Op { }
        record Advance(int seconds) implements Op { }
    }

    /** A generated case: the rules it runs under and its operations. */
    record Case(SessionConflict conflict, int reassignments, List<Op> ops) {
        @Override
        public String toString() {
            return "Case[conflict=" + conflict.wireName() + ", reassignments=" + reassignments + ", " + ops.size()
                    + " ops: " + ops + "]";
        }
    }

    static Case generate(SplittableRandom r, int size) {
        SessionConflict conflict = r.nextBoolean() ? SessionConflict.STRICT : SessionConflict.REPLACE;
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.CreateSession());
        for (int i = 0; i < size; i++) {
            int pick = r.nextInt(100);
            ops.add(pick < 12 ? new Op.Enqueue(1 + r.nextInt(4))
                    : pick < 18 ? new Op.CreateSession()
                    : pick < 22 ? new Op.RefreshSession()
                    : pick < 25 ? new Op.DeleteSession()
                    : pick < 42 ? new Op.Poll(r.nextInt(5) == 0)
                    : pick < 52 ? new Op.Ack()
                    : pick < 64 ? new Op.Acquire(r.nextInt(1000), r.nextInt(4) == 0)
                    : pick < 70 ? new Op.Jit()
                    : pick < 76 ? new Op.RunnerConnect(r.nextInt(8))
                    : pick < 84 ? new Op.RunnerTake(r.nextInt(8))
                    : pick < 90 ? new Op.RunnerComplete(r.nextInt(8))
                    : new Op.Advance(1 + r.nextInt(90)));
        }
        return new Case(conflict, r.nextInt(3), ops);
    }

    static Stream<Case> shrink(Case c) {
        Stream<Case> simpler = Stream.of(
                c.reassignments() > 0 ? new Case(c.conflict(), 0, c.ops()) : null,
                c.conflict() != SessionConflict.STRICT ? new Case(SessionConflict.STRICT, c.reassignments(), c.ops()) : null)
                .filter(x -> x != null);
        return Stream.concat(simpler, PropertyCheck.shrinkList(c.ops(), ServiceStatePropertyTest::shrinkOp)
                .map(ops -> new Case(c.conflict(), c.reassignments(), ops)));
    }

    static Stream<Op> shrinkOp(Op op) {
        return switch (op) {
            case Op.Enqueue e -> PropertyCheck.shrinkInt(e.count(), 1).map(Op.Enqueue::new);
            case Op.Advance a -> PropertyCheck.shrinkInt(a.seconds(), 1).map(Op.Advance::new);
            case Op.Acquire a when a.withUnknownId() -> Stream.of(new Op.Acquire(a.pick(), false));
            default -> Stream.empty();
        };
    }

    /** Runs a case against a fresh model, checking the invariants after each operation. */
    static final class Driver {
        final SteppingScheduler clock = new SteppingScheduler();
        final ServiceState state;
        final Tenant tenant;
        final long scaleSetId;
        final List<SessionView> sessions = new ArrayList<>();
        final List<JitConfig> runners = new ArrayList<>();
        final Map<Long, Integer> acquiredAtOffer = new HashMap<>();
        final Map<Long, List<JobMessage>> delivered = new HashMap<>();
        final Set<Long> offeredIds = new LinkedHashSet<>();
        long maxMessageId;
        long lastMessageId;
        long lastDelivered;
        int enqueued;

        Driver(Case c) {
            RandomSource random = new RandomSource(7);
            Rules rules = new Rules(c.conflict(), 60, 20, 600, 600, 5, false, false, c.reassignments(), 45);
            state = new ServiceState(clock, random, new Jwt(random), rules);
            tenant = state.tenantFor("organization", "acme", "acme", null);
            scaleSetId = state.createScaleSet(tenant, "set", null, null, null).id();
        }

        void run(List<Op> ops) {
            for (int i = 0; i < ops.size(); i++) {
                try {
                    apply(ops.get(i));
                } catch (ServiceError expected) {
                    // refusals (409, 401, 404, ...) are outcomes, not failures; the invariants still must hold
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                checkInvariants("after op " + i + " " + ops.get(i));
            }
        }

        SessionView session() {
            if (sessions.isEmpty()) {
                throw ServiceError.badRequest("no session yet");
            }
            return sessions.get(sessions.size() - 1);
        }

        void apply(Op op) throws InterruptedException {
            switch (op) {
                case Op.Enqueue e -> {
                    state.enqueueJobs(new ServiceState.JobRequest("set", null, "app", "ci.yml", "build", "push", 60), e.count());
                    enqueued += e.count();
                }
                case Op.CreateSession c -> {
                    sessions.add(state.createSession(tenant, scaleSetId, "pod-" + sessions.size()));
                    lastMessageId = 0;
                }
                case Op.RefreshSession r -> {
                    SessionView s = session();
                    sessions.set(sessions.size() - 1, state.refreshSession(tenant, scaleSetId, UUID.fromString(s.sessionId())));
                }
                case Op.DeleteSession d -> state.deleteSession(tenant, scaleSetId, UUID.fromString(session().sessionId()));
                case Op.Poll p -> {
                    Optional<QueueMessage> m = state.poll(session().messageQueueAccessToken(), scaleSetId,
                            p.fromZero() ? 0 : lastMessageId, 10);
                    m.ifPresent(this::observe);
                }
                case Op.Ack a -> state.ack(session().messageQueueAccessToken(), scaleSetId, lastDelivered);
                case Op.Acquire a -> {
                    List<Long> candidates = new ArrayList<>(offeredIds);
                    List<Long> ask = new ArrayList<>();
                    for (int i = 0; i < candidates.size(); i++) {
                        if (((a.pick() >> (i % 10)) & 1) == 1) {
                            ask.add(candidates.get(i));
                        }
                    }
                    if (a.withUnknownId()) {
                        ask.add(999_999L);
                    }
                    List<Long> got = state.acquire(session().messageQueueAccessToken(), scaleSetId, ask);
                    for (Long id : got) {
                        int offer = state.job(id).orElseThrow().reassignments();
                        Integer previous = acquiredAtOffer.put(id, offer);
                        if (previous != null && previous == offer) {
                            fail("job " + id + " acquired twice in offer " + offer);
                        }
                        assertTrue(ask.contains(id), "acquired an id nobody asked for: " + id);
                    }
                }
                case Op.Jit j -> runners.add(state.generateJitConfig(tenant, scaleSetId, "runner-" + runners.size()));
                case Op.RunnerConnect rc -> {
                    if (!runners.isEmpty()) {
                        state.runnerConnect(runners.get(rc.runner() % runners.size()).runnerToken());
                    }
                }
                case Op.RunnerTake rt -> {
                    if (!runners.isEmpty()) {
                        state.runnerTakeJob(runners.get(rt.runner() % runners.size()).runnerToken());
                    }
                }
                case Op.RunnerComplete rc -> {
                    if (!runners.isEmpty()) {
                        JitConfig runner = runners.get(rc.runner() % runners.size());
                        state.snapshot().runners().stream().filter(v -> v.id() == runner.runner().id() && v.jobRequestId() != null)
                                .findFirst()
                                .ifPresent(v -> state.runnerComplete(runner.runnerToken(), v.jobRequestId(), "succeeded"));
                    }
                }
                case Op.Advance a -> clock.advance(Duration.ofSeconds(a.seconds()));
            }
        }

        void observe(QueueMessage m) {
            List<JobMessage> before = delivered.get(m.messageId());
            if (before == null) {
                assertTrue(m.messageId() > maxMessageId, "new message id " + m.messageId() + " after " + maxMessageId);
                maxMessageId = m.messageId();
                delivered.put(m.messageId(), m.jobMessages());
            } else {
                assertEquals(before, m.jobMessages(), "redelivered message " + m.messageId() + " changed");
            }
            assertTrue(m.jobMessages().size() <= 5, "more job messages than maxJobMessagesPerMessage");
            assertEquals(state.recountStatistics(scaleSetId), m.statistics(), "statistics on message " + m.messageId());
            m.jobMessages().stream().filter(j -> j.type().equals(JobMessage.JOB_AVAILABLE))
                    .forEach(j -> offeredIds.add(j.runnerRequestId()));
            lastMessageId = m.messageId();
            lastDelivered = m.messageId();
        }

        void checkInvariants(String where) {
            Views.Snapshot snap = state.snapshot();
            long live = snap.sessions().stream().filter(s -> s.scaleSetId() == scaleSetId).count();
            assertTrue(live <= 1, where + ": " + live + " live sessions for one scale set");
            Statistics kept = snap.scaleSets().get(0).statistics();
            assertEquals(state.recountStatistics(scaleSetId), kept, where + ": statistics drifted from the jobs");
            assertEquals(enqueued, snap.jobs().size(), where + ": jobs lost or made up");
            assertTrue(kept.totalAssignedJobs() >= kept.totalRunningJobs(), where + ": assigned < running");
            snap.jobs().forEach(j -> {
                if (j.state() == JobState.STARTED || j.state() == JobState.COMPLETED) {
                    assertTrue(j.runnerId() != null, where + ": job " + j.runnerRequestId() + " ran on no runner");
                }
            });
            long busy = snap.runners().stream().filter(r -> r.jobRequestId() != null).count();
            long running = snap.jobs().stream().filter(j -> j.state() == JobState.STARTED).count();
            assertEquals(running, busy, where + ": running jobs and busy runners disagree");
        }
    }

    @Test
    void modelInvariantsHoldOverRandomOperationSequences() {
        Optional<Failure<Case>> failure = PropertyCheck.check(SEED, 300, 80, ServiceStatePropertyTest::generate,
                ServiceStatePropertyTest::shrink, c -> new Driver(c).run(c.ops()));
        failure.ifPresent(f -> fail(f.describe()));
    }

    @Test
    void theSameSeedGeneratesTheSameCases() {
        assertEquals(generate(new SplittableRandom(42), 50), generate(new SplittableRandom(42), 50));
        assertFalse(generate(new SplittableRandom(42), 50).equals(generate(new SplittableRandom(43), 50)));
    }

    /** The search itself must find and shrink a real violation: here, a property the model does not have. */
    @Test
    void theShrinkerReducesAFailureToItsEssentialOperations() {
        Optional<Failure<Case>> failure = PropertyCheck.check(SEED, 300, 80, ServiceStatePropertyTest::generate,
                ServiceStatePropertyTest::shrink, c -> {
                    Driver d = new Driver(c);
                    d.run(c.ops());
                    assertTrue(d.state.snapshot().jobsByState().get("available") < 4, "four jobs wait at once");
                });
        assertTrue(failure.isPresent(), "the search missed a violation that many cases show");
        List<Op> shrunk = failure.get().shrunk().ops();
        int queued = shrunk.stream().mapToInt(op -> op instanceof Op.Enqueue e ? e.count() : 0).sum();
        assertEquals(4, queued, "shrunk to exactly the four jobs that break it: " + shrunk);
        assertTrue(shrunk.stream().allMatch(op -> op instanceof Op.Enqueue), "only enqueues are needed: " + shrunk);
    }
}
