package dev.arcsim.sim;

import dev.arcsim.check.NoRunnerLeak;
import dev.arcsim.check.Verdict;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.controller.reconcile.Finalizers;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.history.HistoryEvent;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting runner sets while their runners are busy, with the store's garbage collector on (as with
 * kube-controller-manager, and quicker than it) and off (as on the embedded mock): the service is left with no runner,
 * session or scale set of a deleted set, and the cluster with none of its objects, while the set beside it runs on.
 */
class RunnerSetDeletionTest {

    @ParameterizedTest(name = "garbage collection {0}")
    @ValueSource(booleans = {true, false})
    void deletingRunnerSetsUnderLoadLeavesNothingInTheService(boolean garbageCollection) throws Exception {
        try (SimWorld w = new SimWorld(3, "resilient", Map.of(), Rules.defaults(), Duration.ofSeconds(1))) {
            w.cluster().collectGarbage(garbageCollection);
            for (String set : List.of("doomed-a", "doomed-b", "kept")) {
                w.createRunnerSet(set, 2, 6);
            }
            w.runFor(Duration.ofSeconds(30));
            for (String set : List.of("doomed-a", "doomed-b", "kept")) {
                w.queueJobs(set, 5, 120);
            }
            w.runFor(Duration.ofSeconds(40));
            assertTrue(w.runners() >= 12, "runners are up and busy before the delete: " + w.runners());

            w.cluster().delete(AutoscalingRunnerSet.class, SimWorld.RUNNER_NAMESPACE, "doomed-a");
            w.cluster().delete(AutoscalingRunnerSet.class, SimWorld.RUNNER_NAMESPACE, "doomed-b");
            assertTrue(w.cluster().get(AutoscalingRunnerSet.class, SimWorld.RUNNER_NAMESPACE, "doomed-a")
                    .map(Finalizers::terminating).orElse(false), "its finalizer holds the runner set while it is torn down");
            w.runFor(Duration.ofMinutes(4));

            List<HistoryEvent> events = w.history().events();
            Verdict leak = new NoRunnerLeak().check(events);
            assertTrue(leak.ok(), leak.message() + " " + leak.evidence());
            Set<String> deletedSets = service(events, "scale-set-deleted").stream().map(e -> e.text("name")).collect(Collectors.toSet());
            assertEquals(Set.of("doomed-a", "doomed-b"), deletedSets, "both scale sets deleted in the service, the kept one not");
            for (String set : List.of("doomed-a", "doomed-b")) {
                assertTrue(w.cluster().get(AutoscalingRunnerSet.class, SimWorld.RUNNER_NAMESPACE, set).isEmpty(), set + " is gone");
                assertTrue(w.cluster().get(EphemeralRunnerSet.class, SimWorld.RUNNER_NAMESPACE, set).isEmpty(), set + "'s runner set is gone");
            }
            Set<String> deletedIds = service(events, "scale-set-deleted").stream().map(e -> e.text("scaleSet")).collect(Collectors.toSet());
            Set<String> sessionsOfDeleted = service(events, "session-created").stream()
                    .filter(e -> deletedIds.contains(e.text("scaleSet"))).map(e -> e.text("session")).collect(Collectors.toSet());
            Set<String> ended = service(events, "session-ended").stream().map(e -> e.text("session")).collect(Collectors.toSet());
            assertFalse(sessionsOfDeleted.isEmpty(), "the deleted sets had sessions");
            assertTrue(ended.containsAll(sessionsOfDeleted), "every session of a deleted set ended");
            List<AutoscalingListener> listeners = w.listeners();
            assertEquals(1, listeners.size(), "only the kept set's listener is left");
            assertTrue(w.cluster().list(EphemeralRunner.class, SimWorld.RUNNER_NAMESPACE).stream()
                    .allMatch(er -> er.getMetadata().getName().startsWith("kept-")), "only the kept set's runners are left");
            assertTrue(w.cluster().list(Pod.class, SimWorld.RUNNER_NAMESPACE).stream()
                    .allMatch(p -> p.getMetadata().getName().startsWith("kept-")), "only the kept set's runner pods are left");
            assertTrue(service(events, "job-completed").size() >= 5, "the kept set's jobs ran");
        }
    }

    @ParameterizedTest(name = "garbage collection {0}")
    @ValueSource(booleans = {true, false})
    void aRunnerDeletedByHandIsDeregisteredFirst(boolean garbageCollection) throws Exception {
        try (SimWorld w = new SimWorld(4, "resilient", Map.of(), Rules.defaults(), Duration.ofSeconds(1))) {
            w.cluster().collectGarbage(garbageCollection);
            w.createRunnerSet("set", 3, 3);
            w.runFor(Duration.ofSeconds(30));
            EphemeralRunner victim = w.cluster().list(EphemeralRunner.class, SimWorld.RUNNER_NAMESPACE).get(0);
            long runnerId = victim.getStatus().runnerId;
            w.cluster().delete(EphemeralRunner.class, SimWorld.RUNNER_NAMESPACE, victim.getMetadata().getName());
            w.runFor(Duration.ofSeconds(30));
            assertTrue(service(w.history().events(), "runner-removed").stream().anyMatch(e -> e.text("runner").equals(Long.toString(runnerId))),
                    "the service no longer has runner " + runnerId);
            assertTrue(w.cluster().get(EphemeralRunner.class, SimWorld.RUNNER_NAMESPACE, victim.getMetadata().getName()).isEmpty(),
                    "the runner object went once deregistered");
            assertEquals(3, w.runners(), "the set made a runner in its place");
        }
    }

    private static List<HistoryEvent> service(List<HistoryEvent> events, String type) {
        return events.stream().filter(e -> e.actor().equals("fake-github") && e.type().equals(type)).toList();
    }
}
