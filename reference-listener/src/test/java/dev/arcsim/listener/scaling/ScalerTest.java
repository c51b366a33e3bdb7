package dev.arcsim.listener.scaling;

import dev.arcsim.listener.policy.Line;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ARC's target and patchID arithmetic (PROTOCOL.md §4.6), for both lines. */
class ScalerTest {

    @Test
    void targetIsMinPlusAssignedCappedAtMax() {
        Scaler s = new Scaler(Line.CURRENT, 2, 5);
        assertEquals(2, s.desired(0, 0).replicas());
        assertEquals(5, s.desired(3, 0).replicas());
        assertEquals(5, s.desired(40, 0).replicas());
    }

    @Test
    void legacyForcesPatchIdZeroOnAnEmptyBatchAtMinAndKeepsItsLastTargetOtherwise() {
        Scaler s = new Scaler(Line.LEGACY, 0, 10);
        List<Scaler.Patch> patches = new ArrayList<>();
        patches.add(s.desired(0, 0));   // start, idle: force state
        patches.add(s.desired(3, 0));   // three assigned
        patches.add(s.desired(0, 0));   // empty batch (202): keeps the last target 3
        patches.add(s.desired(0, 3));   // all completed: target 0, sequence continues
        patches.add(s.desired(0, 0));   // empty batch at min: force state again
        assertEquals(List.of(new Scaler.Patch(0, 0), new Scaler.Patch(3, 1), new Scaler.Patch(3, 2),
                new Scaler.Patch(0, 3), new Scaler.Patch(0, 0)), patches);
    }

    @Test
    void currentForcesZeroOnlyWhenNothingChangedAtMin() {
        Scaler s = new Scaler(Line.CURRENT, 1, 10);
        assertEquals(new Scaler.Patch(1, 0), s.desired(0, 0));
        assertEquals(new Scaler.Patch(1, 0), s.desired(0, 0));   // unchanged at min, not dirty
        s.markDirty();
        assertEquals(new Scaler.Patch(1, 2), s.desired(0, 0));   // a job started or completed: a real patch id
        assertEquals(new Scaler.Patch(3, 3), s.desired(2, 0));
        assertEquals(new Scaler.Patch(1, 4), s.desired(0, 0));   // target changed: not forced
        assertEquals(new Scaler.Patch(1, 0), s.desired(0, 0));
    }

    @Test
    void theReplicasPatchWritesNullForZero() {
        assertEquals("{\"spec\":{\"patchID\":0,\"replicas\":null}}", RunnerSets.replicasPatch(0, 0));
        assertEquals("{\"spec\":{\"patchID\":4,\"replicas\":3}}", RunnerSets.replicasPatch(3, 4));
    }
}
