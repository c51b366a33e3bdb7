package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After each disruption (a listener pod killed, evicted or deleted; a fault window closing), the listener polls the
 * service successfully again within the bound. Recovery is measured on the service's side: from the disruption to
 * the start of the first long poll, begun after it, that the service answered 200 or 202 with its own answer (not a
 * 200 a fault emptied). Also measured, not
 * bounded: the time to the first successful acquire, and to the backlog drained (every job waiting at the
 * disruption started on a runner). An unrecovered disruption fails.
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

    /**
     * One disruption's recovery, in seconds from it; null where it never happened (or, for the backlog, there was
     * none).
     */
    public record Recovery(HistoryEvent disruption, String what, Double toFirstPoll, Double toFirstAcquire,
                           Double toBacklogDrained) {
    }

    static boolean isDisruption(HistoryEvent e) {
        return e.type().equals("disruption");
    }

    public static List<Recovery> recoveries(List<HistoryEvent> history) {
        List<HistoryEvent> service = Checker.service(history);
        List<Recovery> out = new ArrayList<>();
        for (HistoryEvent d : history) {
            if (isDisruption(d)) {
                out.add(new Recovery(d, d.text("what"), firstPoll(service, d.at()), firstAcquire(service, d.at()),
                        drained(service, d.at())));
            }
        }
        return out;
    }

    private static Double firstPoll(List<HistoryEvent> service, Instant from) {
        Instant best = null;
        for (HistoryEvent e : service) {
            if (e.type().equals("api-call") && "get-message".equals(e.text("endpoint")) && succeeded(e)) {
                Instant started = e.at().minusMillis(number(e, "ms"));
                if (!started.isBefore(from) && (best == null || started.isBefore(best))) {
                    best = started;
                }
            }
        }
        return best == null ? null : seconds(from, best);
    }

    private static Double firstAcquire(List<HistoryEvent> service, Instant from) {
        for (HistoryEvent e : service) {
            if (!e.at().isBefore(from) && e.type().equals("api-call") && "acquire-jobs".equals(e.text("endpoint"))
                    && succeeded(e)) {
                return seconds(from, e.at());
            }
        }
        return null;
    }

    /** When the last job that was waiting at {@code from} started; null when none was waiting, +inf when one never did. */
    private static Double drained(List<HistoryEvent> service, Instant from) {
        Set<Object> waiting = new HashSet<>();
        Map<Object, Instant> started = new HashMap<>();
        for (HistoryEvent e : service) {
            Object job = e.field("job");
            if (e.type().equals("job-queued") && !e.at().isAfter(from)) {
                waiting.add(job);
            } else if (e.type().equals("job-started")) {
                started.putIfAbsent(job, e.at());
            }
        }
        waiting.removeIf(j -> started.containsKey(j) && !started.get(j).isAfter(from));
        if (waiting.isEmpty()) {
            return null;
        }
        Instant last = from;
        for (Object j : waiting) {
            Instant s = started.get(j);
            if (s == null) {
                return Double.POSITIVE_INFINITY;
            }
            last = s.isAfter(last) ? s : last;
        }
        return seconds(from, last);
    }

    /**
     * Answered 200 or 202 with the service's own answer: a 200 a fault emptied or blanked ({@code altered}) is not the
     * listener served again, though its status says 200.
     */
    private static boolean succeeded(HistoryEvent e) {
        long status = number(e, "status");
        return (status == 200 || status == 202) && !Boolean.TRUE.equals(e.field("altered"));
    }

    private static long number(HistoryEvent e, String field) {
        return e.field(field) instanceof Number n ? n.longValue() : 0;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** The worst time to the first poll over the disruptions; +inf when one never recovered, null when there were none. */
    public static Double worst(List<Recovery> recoveries) {
        Double worst = null;
        for (Recovery r : recoveries) {
            double s = r.toFirstPoll() == null ? Double.POSITIVE_INFINITY : r.toFirstPoll();
            worst = worst == null ? s : Math.max(worst, s);
        }
        return worst;
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        List<Recovery> recoveries = recoveries(history);
        if (recoveries.isEmpty()) {
            return Verdict.pass(invariant(), "no disruption in this run");
        }
        List<HistoryEvent> slow = new ArrayList<>();
        for (Recovery r : recoveries) {
            if (r.toFirstPoll() == null || r.toFirstPoll() > bound.toMillis() / 1000.0) {
                slow.add(r.disruption());
            }
        }
        double worst = worst(recoveries);
        String measured = Double.isInfinite(worst) ? "never" : String.format("%.1f s", worst);
        String of = " over " + recoveries.size() + " disruption(s)";
        return slow.isEmpty()
                ? Verdict.pass(invariant(), "worst recovery " + measured + " <= " + bound.toSeconds() + " s" + of)
                : Verdict.fail(invariant(), "worst recovery " + measured + " > " + bound.toSeconds() + " s" + of, slow);
    }
}
