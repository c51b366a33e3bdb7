package dev.arcsim.bench;

import dev.arcsim.listener.policy.PolicyFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recovery benchmark measures what it says: a trial really plays the fault, and its counters come from that run. */
class TrialTest {

    @Test
    void everyPolicyAndFaultIsAValidScenario() {
        for (String p : Policies.names()) {
            Policies.Policy policy = Policies.named(p);
            PolicyFactory.create(policy.listenerPolicy(), policy.parameters());   // throws on a parameter it does not take
            for (String f : Faults.names()) {
                assertEquals(policy.listenerPolicy(), Faults.scenario(f, policy, 1).policy());
            }
        }
    }

    @Test
    void arcCrashLoopsThroughTheOrphanTtlWhileResilientTakesTheSessionOver() {
        Trial.Result arc = Trial.run(Faults.scenario("sigkill-ttl-5m", Policies.named("arc-legacy"), 1));
        Trial.Result resilient = Trial.run(Faults.scenario("sigkill-ttl-5m", Policies.named("resilient"), 1));
        assertNotNull(arc.recoverySeconds());
        assertTrue(arc.recoverySeconds() > 240, "ARC waits out most of the 5-minute TTL: " + arc);
        assertTrue(arc.listenerRestarts() >= 2 && arc.sessionConflicts() >= 1, arc.toString());
        assertTrue(resilient.recoverySeconds() < 30, resilient.toString());
        assertTrue(resilient.listenerRestarts() <= 1, resilient.toString());
        assertTrue(arc.apiCalls() > 0 && resilient.apiCalls() > 0);
        assertEquals(0, arc.jobsLost() + resilient.jobsLost());
    }

    @Test
    void aBenchmarkInvocationAddsItsRunToTheCounters() {
        RecoveryBenchmark b = new RecoveryBenchmark();
        b.policy = "resilient";
        b.fault = "partition-1m";
        b.setUp();
        RecoveryBenchmark.Costs costs = new RecoveryBenchmark.Costs();
        costs.reset();
        Trial.Result r = b.recover(costs);
        assertEquals(1, costs.runs);
        assertEquals(r.recoverySeconds(), costs.recoverySeconds, 1e-9);
        assertTrue(costs.recoverySeconds >= 0 && costs.apiCalls == r.apiCalls() && costs.apiCalls > 0);
        // the partition lasts a minute: recovery is counted from its end, within resilient's 30 s cap and a poll
        assertTrue(r.recoverySeconds() < 60, r.toString());
        assertTrue(r.simulatedSeconds() > 60, r.toString());
    }

    @Test
    void unknownNamesAreRefusedWithTheChoices() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Policies.named("fast"));
        assertTrue(e.getMessage().contains("arc-legacy, arc-current, resilient, fixed"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Faults.scenario("meteor", Policies.named("resilient"), 1));
        assertTrue(e.getMessage().contains("sigkill-ttl-30s"), e.getMessage());
        assertEquals(Map.of(), Policies.named("resilient").parameters());
    }
}
