package dev.arcsim.check;

import dev.arcsim.history.HistoryEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scale set the service deleted leaves no runner registered: every runner it had was removed by the end of the
 * run. (The service keeps a deleted set's runners; the controller has to deregister them, and one that lets the
 * API server's garbage collector remove runners first leaks them.)
 */
public final class NoRunnerLeak implements Checker {

    @Override
    public String invariant() {
        return "no-runner-leak";
    }

    @Override
    public Verdict check(List<HistoryEvent> history) {
        List<HistoryEvent> service = Checker.service(history);
        Set<String> deletedSets = service.stream().filter(e -> e.type().equals("scale-set-deleted"))
                .map(e -> e.text("scaleSet")).collect(Collectors.toSet());
        Map<String, HistoryEvent> registered = new LinkedHashMap<>();
        for (HistoryEvent e : service) {
            if (e.type().equals("runner-registered")) {
                registered.put(e.text("runner"), e);
            } else if (e.type().equals("runner-removed")) {
                registered.remove(e.text("runner"));
            }
        }
        List<HistoryEvent> left = registered.values().stream().filter(e -> deletedSets.contains(e.text("scaleSet"))).toList();
        if (deletedSets.isEmpty()) {
            return Verdict.pass(invariant(), "no scale set was deleted");
        }
        return left.isEmpty()
                ? Verdict.pass(invariant(), "every runner of the " + deletedSets.size() + " deleted scale set(s) was removed")
                : Verdict.fail(invariant(), left.size() + " runner(s) left registered in a deleted scale set", left);
    }
}
