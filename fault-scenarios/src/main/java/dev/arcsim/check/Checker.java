package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.List;

/** An invariant over a run's history: a pure function, reading only the events. */
public interface Checker {

    String invariant();

    Verdict check(List<HistoryEvent> history);
}
