package dev.arcsim.listener.scaling;

import dev.arcsim.listener.policy.Line;

/**
 * The desired runner count and patch id, exactly as ARC computes them (PROTOCOL.md §4.6):
 * target = min(minRunners + assigned, maxRunners); patchID counts up from 0 and is forced to 0 ("force state") when
 * idle at minRunners. Legacy forces 0 on an empty batch at min; current when nothing started or completed since the
 * last call and the target is unchanged at min.
 */
public final class Scaler {

    /** One patch to send: {@code replicas} and {@code patchId}. */
    public record Patch(int replicas, int patchId) {
    }

    private final Line line;
    private final int minRunners;
    private final int maxRunners;
    private int patchSeq = -1;
    private int lastPatch;
    private int lastTarget = -1;
    private boolean dirty;

    public Scaler(Line line, int minRunners, int maxRunners) {
        this.line = line;
        this.minRunners = minRunners;
        this.maxRunners = maxRunners;
    }

    /** A JobStarted or JobCompleted was handled since the last patch (the current line's "dirty"). */
    public void markDirty() {
        dirty = true;
    }

    /**
     * @param assigned      {@code statistics.totalAssignedJobs}
     * @param jobsCompleted completed jobs in the batch (legacy only; 0 with 0 assigned means an empty batch)
     */
    public Patch desired(int assigned, int jobsCompleted) {
        int target = (int) Math.min((long) minRunners + assigned, maxRunners);
        patchSeq = patchSeq == Integer.MAX_VALUE ? 0 : patchSeq + 1;
        int patchId = patchSeq;
        if (line == Line.LEGACY) {
            if (assigned == 0 && jobsCompleted == 0) {
                target = Math.max(lastPatch, target);
                if (target == minRunners) {
                    patchId = 0;
                }
            }
            lastPatch = target;
            return new Patch(target, patchId);
        }
        if (!dirty && target == lastTarget && target == minRunners) {
            patchId = 0;
        }
        dirty = false;
        lastTarget = target;
        return new Patch(target, patchId);
    }

}
