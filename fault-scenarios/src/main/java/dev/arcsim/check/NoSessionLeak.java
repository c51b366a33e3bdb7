package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** After the run's graceful stop, no message session is left on the server. */
public final class NoSessionLeak implements Checker {

    @Override
    public String invariant() {
        return "no-session-leak";
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        Map<String, HistoryEvent> live = new LinkedHashMap<>();
        for (HistoryEvent e : Checker.service(history)) {
            if (e.type().equals("session-created")) {
                live.put(e.text("session"), e);
            } else if (e.type().equals("session-ended")) {
                live.remove(e.text("session"));
            }
        }
        return live.isEmpty() ? Verdict.pass(invariant(), "no session left on the server")
                : Verdict.fail(invariant(), live.size() + " session(s) left on the server", List.copyOf(live.values()));
    }
}
