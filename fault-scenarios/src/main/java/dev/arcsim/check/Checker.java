package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.List;

/** An invariant over a run's history: a pure function, reading only the events. */
public interface Checker {

    /**
     * The actor whose events are the truth about jobs, sessions and runners: the service. Other actors report
     * events of the same names from their own point of view (a listener's "session-created").
     */
    String SERVICE = "fake-github";

    String invariant();

    Verdict check(List<HistoryEvent> history);

    /** The service's own events, in order. */
    static List<HistoryEvent> service(List<HistoryEvent> history) {
        return history.stream().filter(e -> SERVICE.equals(e.actor())).toList();
    }
}
