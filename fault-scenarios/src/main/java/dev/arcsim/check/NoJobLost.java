package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every queued job was completed by a runner. A job the server canceled and re-offered is not done until it runs. */
public final class NoJobLost implements Checker {

    @Override
    public String invariant() {
        return "no-job-lost";
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        Map<String, HistoryEvent> open = new LinkedHashMap<>();
        for (HistoryEvent e : Checker.service(history)) {
            if (e.type().equals("job-queued")) {
                open.put(e.text("job"), e);
            } else if (e.type().equals("job-completed")) {
                open.remove(e.text("job"));
            }
        }
        return open.isEmpty() ? Verdict.pass(invariant(), "every queued job completed")
                : Verdict.fail(invariant(), open.size() + " queued job(s) never completed: " + open.keySet(), List.copyOf(open.values()));
    }
}
