package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** No job was started by two runners, and no job was acquired twice in one offer (by two sessions, or one twice). */
public final class NoJobTwice implements Checker {

    @Override
    public String invariant() {
        return "no-job-twice";
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        Map<String, HistoryEvent> started = new HashMap<>();
        Map<String, HistoryEvent> acquired = new HashMap<>();
        List<HistoryEvent> evidence = new ArrayList<>();
        for (HistoryEvent e : Checker.service(history)) {
            if (e.type().equals("job-started")) {
                HistoryEvent first = started.putIfAbsent(e.text("job"), e);
                if (first != null) {
                    evidence.add(first);
                    evidence.add(e);
                }
            } else if (e.type().equals("job-acquired")) {
                HistoryEvent first = acquired.putIfAbsent(e.text("job") + "/" + e.text("offer"), e);
                if (first != null) {
                    evidence.add(first);
                    evidence.add(e);
                }
            }
        }
        return evidence.isEmpty() ? Verdict.pass(invariant(), "every job ran once and was acquired once per offer")
                : Verdict.fail(invariant(), evidence.size() / 2 + " job(s) ran or were acquired twice", evidence);
    }
}
