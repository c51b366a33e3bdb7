package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * After each disruption (a listener pod killed, evicted or deleted, or a fault window closing), a listener holds a
 * session on the service again within the bound: the service's next {@code session-created} for the scale set, or
 * the disrupted session still alive and polled. Reports the worst recovery; an unrecovered disruption fails.
 */
public final class BoundedRecovery implements Checker {

    private final Duration bound;

    public BoundedRecovery(Duration bound) {
        this.bound = bound;
    }

    @Override
    public String invariant() {
        return "bounded-recovery";
    }

    /** Seconds from each disruption to the next session on the service, or -1 when there was none. */
    public static List<Double> recoveries(List<HistoryEvent> history) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            if (!isDisruption(e)) {
                continue;
            }
            double seconds = -1;
            for (int j = i + 1; j < history.size(); j++) {
                HistoryEvent next = history.get(j);
                if (SERVICE.equals(next.actor()) && next.type().equals("session-created")) {
                    seconds = Duration.between(e.at(), next.at()).toMillis() / 1000.0;
                    break;
                }
            }
            out.add(seconds);
        }
        return out;
    }

    static boolean isDisruption(HistoryEvent e) {
        return e.type().equals("disruption");
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        List<HistoryEvent> disruptions = history.stream().filter(BoundedRecovery::isDisruption).toList();
        if (disruptions.isEmpty()) {
            return Verdict.pass(invariant(), "no disruption in this run");
        }
        List<Double> recoveries = recoveries(history);
        List<HistoryEvent> slow = new ArrayList<>();
        double worst = 0;
        for (int i = 0; i < recoveries.size(); i++) {
            double r = recoveries.get(i);
            if (r < 0 || r > bound.toMillis() / 1000.0) {
                slow.add(disruptions.get(i));
            }
            worst = r < 0 ? Double.POSITIVE_INFINITY : Math.max(worst, r);
        }
        String measured = Double.isInfinite(worst) ? "never" : String.format("%.1f s", worst);
        return slow.isEmpty()
                ? Verdict.pass(invariant(), "worst recovery " + measured + " <= " + bound.toSeconds() + " s")
                : Verdict.fail(invariant(), "worst recovery " + measured + " > " + bound.toSeconds() + " s", slow);
    }
}
