package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Runners registered with the service never exceed maxRunners, and at rest (when the run's teardown starts, or at
 * the end of the history when there is none) they are back to minRunners. Counts come from the service's
 * runner-registered and runner-removed events.
 */
public final class RunnerBounds implements Checker {

    /** The event that ends the run proper: what follows is the runner set being deleted. */
    public static final String TEARDOWN = "teardown-started";

    private final int min;
    private final int max;

    public RunnerBounds(int min, int max) {
        this.min = min;
        this.max = max;
    }

    @Override
    public String invariant() {
        return "runner-bounds";
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        int count = 0;
        int peak = 0;
        List<HistoryEvent> over = new ArrayList<>();
        HistoryEvent last = null;
        Integer atRest = null;
        for (HistoryEvent e : history) {
            if (e.type().equals(TEARDOWN) && atRest == null) {
                atRest = count;
            }
            if (!SERVICE.equals(e.actor())) {
                continue;
            }
            if (e.type().equals("runner-registered")) {
                count++;
                last = e;
                if (count > max) {
                    over.add(e);
                }
            } else if (e.type().equals("runner-removed")) {
                count--;
                last = e;
            }
            peak = Math.max(peak, count);
        }
        if (!over.isEmpty()) {
            return Verdict.fail(invariant(), "runners reached " + peak + ", above maxRunners " + max, over);
        }
        int rest = atRest == null ? count : atRest;
        if (rest != min) {
            return Verdict.fail(invariant(), rest + " runner(s) at rest, not minRunners " + min,
                    last == null ? List.of() : List.of(last));
        }
        return Verdict.pass(invariant(), "peak " + peak + " <= max " + max + ", " + rest + " at rest");
    }
}
