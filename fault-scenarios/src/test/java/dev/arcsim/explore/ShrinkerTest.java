package dev.arcsim.explore;

import dev.arcsim.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shrinking against a stand-in for a run: what remains is what the failure needs, and the budget is kept. */
class ShrinkerTest {

    /** "Fails" when a kill lands while a fault window on acks is open, with at least one job. */
    private static boolean killDuringAckFault(Scenario s) {
        int jobs = ((Scenario.Arrivals.Constant) s.workload().arrivals()).jobs();
        return jobs >= 1 && s.timeline().stream().anyMatch(w -> w instanceof Scenario.Step.Fault f
                && f.fault().path("endpoint").asText().equals("ack-message")
                && s.timeline().stream().anyMatch(k -> k instanceof Scenario.Step.KillListener
                && k.at().compareTo(f.at()) >= 0 && k.at().compareTo(f.until()) < 0));
    }

    @Test
    void aFailureShrinksToTheStepsItNeeds() {
        Scenario big = Generator.scenario(3, "resilient");
        Scenario failing = Scenario.builder("big").seed(3).system(big.system())
                .workload(new Scenario.Arrivals.Constant(12, Duration.ofSeconds(120)),
                        new Scenario.JobDuration.Uniform(Duration.ofSeconds(2), Duration.ofSeconds(40)))
                .step(new Scenario.Step.RestartController(Duration.ofSeconds(10), Duration.ofSeconds(30)))
                .step(new Scenario.Step.Fault(Duration.ofSeconds(40), Duration.ofSeconds(160), (com.fasterxml.jackson.databind.node.ObjectNode)
                        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("kind", "lost-ack")
                                .put("endpoint", "ack-message").put("probability", 0.5)))
                .step(new Scenario.Step.KillListener(Duration.ofSeconds(100)))
                .step(new Scenario.Step.RunnerPodFailures(Duration.ofSeconds(120), 2))
                .build();
        assertTrue(killDuringAckFault(failing));
        Shrinker shrinker = new Shrinker(ShrinkerTest::killDuringAckFault, 500);
        Scenario shrunk = shrinker.shrink(failing);
        assertTrue(killDuringAckFault(shrunk), "the shrunk scenario still fails");
        assertEquals(List.of("fault", "kill-listener"), shrunk.timeline().stream().map(Scenario.Step::action).toList());
        assertEquals(new Scenario.Arrivals.Constant(1, Duration.ofSeconds(15)), shrunk.workload().arrivals());
        assertEquals(new Scenario.JobDuration.Fixed(Duration.ofSeconds(2)), shrunk.workload().jobDuration());
        Scenario.Step.Fault fault = (Scenario.Step.Fault) shrunk.timeline().get(0);
        assertTrue(!fault.fault().has("probability"), "a fault that always fires is simpler: " + fault.fault());
        assertTrue(fault.until().minus(fault.at()).toSeconds() <= 2, "the window is as short as halving makes it: " + fault);
        // no single smaller step still fails: shrinking stopped at a local minimum, not for want of budget
        assertTrue(shrinker.runs() < 500);
        assertTrue(Shrinker.candidates(shrunk).stream().noneMatch(ShrinkerTest::killDuringAckFault));
    }

    @Test
    void theBudgetBoundsTheRuns() {
        Scenario failing = Generator.scenario(11, "resilient");
        int[] calls = {0};
        Shrinker shrinker = new Shrinker(s -> {
            calls[0]++;
            return true;   // everything fails: it would shrink forever without a budget
        }, 7);
        shrinker.shrink(failing);
        assertEquals(7, calls[0]);
        assertEquals(7, shrinker.runs());
    }
}
