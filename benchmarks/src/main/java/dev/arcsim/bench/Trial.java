package dev.arcsim.bench;

import dev.arcsim.check.BoundedRecovery;
import dev.arcsim.check.Measures;
import dev.arcsim.history.HistoryEvent;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;

import java.time.Instant;
import java.util.List;

/** One recovery trial: a fault under a policy, played in the simulated world, and what it cost. */
public final class Trial {

    /** A job waiting this long for a runner counts as delayed. */
    static final double DELAYED_AFTER_SECONDS = 60;

    /**
     * @param recoverySeconds   simulated seconds from the end of the fault (its window closing, or the one-off
     *                          action) to the first successful poll begun after it; null if it never recovered
     * @param apiCalls          calls to the service from the first disruption until recovery
     * @param sessionConflicts  409s on session create over the run
     * @param listenerRestarts  listener processes started beyond the first
     * @param jobsDelayed       jobs that waited more than a minute for a runner
     * @param jobsLost          jobs queued but never completed
     * @param simulatedSeconds  how long the run was in the world's time
     */
    public record Result(Double recoverySeconds, long apiCalls, long sessionConflicts, int listenerRestarts,
                         int jobsDelayed, int jobsLost, double simulatedSeconds) {
    }

    private Trial() {
    }

    public static Result run(Scenario s) {
        ScenarioRunner.Result r = ScenarioRunner.simulate(s);
        List<HistoryEvent> events = r.history().events();
        Measures m = Measures.of(events);
        int delayed = (int) m.pickupSeconds().stream().filter(p -> p > DELAYED_AFTER_SECONDS).count();
        return new Result(afterTheFault(m.recoveries()), callsDuringDisruption(events, m.recoveries()), m.sessionConflicts(),
                m.listenerRestarts(), delayed, r.summary().jobsLost(), r.summary().durationSeconds());
    }

    /**
     * Recovery from the last disruption: the fault's end. A fault with a window also disrupts when it opens (a pod
     * rolled inside it, say), but nothing can recover before the window closes, so that is when the policies differ.
     */
    static Double afterTheFault(List<BoundedRecovery.Recovery> recoveries) {
        return recoveries.isEmpty() ? null : recoveries.get(recoveries.size() - 1).toFirstPoll();
    }

    /** API calls from the first disruption (a window opening or a one-off) until the last recovery. */
    static long callsDuringDisruption(List<HistoryEvent> events, List<BoundedRecovery.Recovery> recoveries) {
        Instant from = events.stream().filter(e -> e.actor().equals("timeline")
                        && (e.type().equals("fault-window-opened") || e.type().equals("disruption")))
                .map(HistoryEvent::at).findFirst().orElse(null);
        if (from == null) {
            return 0;
        }
        Instant to = from;
        for (BoundedRecovery.Recovery rec : recoveries) {
            Instant end = rec.toFirstPoll() == null ? Instant.MAX
                    : rec.disruption().at().plusMillis(Math.round(rec.toFirstPoll() * 1000));
            to = end.isAfter(to) ? end : to;
        }
        Instant until = to;
        return events.stream().filter(e -> e.type().equals("api-call") && !e.at().isBefore(from) && !e.at().isAfter(until))
                .count();
    }
}
