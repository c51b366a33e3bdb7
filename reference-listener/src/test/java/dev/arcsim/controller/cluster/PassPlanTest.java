package dev.arcsim.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a loop's pass looks at: everything first and now and then, otherwise what changed and what is due again. */
class PassPlanTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectKey A = new ObjectKey(Pod.class, "ns", "a");
    private static final ObjectKey B = new ObjectKey(Pod.class, "ns", "b");

    @Test
    void looksAtEverythingFirstThenAtWhatChangedThenAtEverythingAgain() {
        NamedChanges changes = new NamedChanges(ChangeFeed.NONE);
        PassPlan plan = new PassPlan(changes, Duration.ofMinutes(10));
        changes.changed(A);
        assertEquals(Optional.empty(), plan.next(T0), "the first pass looks at everything");
        assertEquals(Optional.of(Set.of()), plan.next(T0.plusSeconds(1)), "what changed before the full pass was seen by it");

        changes.changed(B);
        changes.changed(A);
        changes.changed(B);
        assertEquals(List.of(B, A), List.copyOf(plan.next(T0.plusSeconds(2)).orElseThrow()), "each once, in order of change");
        assertEquals(T0.plus(Duration.ofMinutes(10)), plan.due());
        assertEquals(Optional.empty(), plan.next(T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void aKeyDueAgainComesBackAtItsTimeAndNotBefore() {
        NamedChanges changes = new NamedChanges(ChangeFeed.NONE);
        PassPlan plan = new PassPlan(changes, Duration.ofMinutes(10));
        plan.next(T0);
        plan.again(A, T0.plusSeconds(5));
        plan.again(A, T0.plusSeconds(3));
        assertEquals(T0.plusSeconds(3), plan.due(), "the earlier of two asks wins");
        assertTrue(plan.next(T0.plusSeconds(2)).orElseThrow().isEmpty());
        assertEquals(Set.of(A), plan.next(T0.plusSeconds(3)).orElseThrow());
        assertTrue(plan.next(T0.plusSeconds(4)).orElseThrow().isEmpty(), "once seen, it is not due again unless asked");
    }

    @Test
    void whatAPassChangesIsLookedAtLaterInTheSamePassAndNotAgain() {
        NamedChanges changes = new NamedChanges(ChangeFeed.NONE);
        PassPlan plan = new PassPlan(changes, Duration.ofMinutes(10));
        plan.next(T0);
        changes.changed(A);
        assertEquals(Set.of(A), plan.next(T0.plusSeconds(1)).orElseThrow());
        changes.changed(B);   // written by the pass itself
        assertEquals(Set.of(B), plan.changedDuringPass());
        assertTrue(plan.next(T0.plusSeconds(2)).orElseThrow().isEmpty());
        assertEquals(Set.of(), new PassPlan(ChangeFeed.NONE, Duration.ZERO).changedDuringPass(), "a feed that names nothing");
    }

    @Test
    void aPassAskedForByATimeComesThen() {
        NamedChanges changes = new NamedChanges(ChangeFeed.NONE);
        PassPlan plan = new PassPlan(changes, Duration.ofMinutes(10));
        plan.next(T0);
        plan.passBy(T0.plusSeconds(5));
        plan.passBy(T0.plusSeconds(7));
        assertEquals(T0.plusSeconds(5), plan.due(), "the earlier ask first");
        assertTrue(plan.next(T0.plusSeconds(5)).orElseThrow().isEmpty(), "a time names no object");
        assertEquals(T0.plusSeconds(7), plan.due(), "then the later one");
        plan.next(T0.plusSeconds(7));
        assertEquals(T0.plus(Duration.ofMinutes(10)), plan.due(), "then the next full pass");
    }

    @Test
    void aFeedThatCannotNameChangesMeansEveryPassLooksAtEverything() {
        PassPlan plan = new PassPlan(ChangeFeed.NONE, Duration.ofMinutes(10));
        assertEquals(Optional.empty(), plan.next(T0));
        assertEquals(Optional.empty(), plan.next(T0.plusMillis(200)));
    }

    @Test
    void aRestIsTheResyncOrLessWhenSomethingIsDueSooner() {
        assertEquals(Duration.ofSeconds(2), ChangeFeed.upTo(Duration.ofSeconds(2), T0, T0.plusSeconds(60)));
        assertEquals(Duration.ofMillis(500), ChangeFeed.upTo(Duration.ofSeconds(2), T0, T0.plusMillis(500)));
        assertEquals(Duration.ZERO, ChangeFeed.upTo(Duration.ofSeconds(2), T0, T0.minusSeconds(1)));
    }
}
