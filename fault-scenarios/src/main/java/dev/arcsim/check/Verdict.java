package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.List;

/** A checker's answer: whether the invariant held, why not, and the events that prove it (at most the first 20). */
public record Verdict(String invariant, boolean ok, String message, List<HistoryEvent> evidence) {

    static final int MAX_EVIDENCE = 20;

    public static Verdict pass(String invariant, String message) {
        return new Verdict(invariant, true, message, List.of());
    }

    public static Verdict fail(String invariant, String message, List<HistoryEvent> evidence) {
        return new Verdict(invariant, false, message, evidence.stream().limit(MAX_EVIDENCE).toList());
    }
}
