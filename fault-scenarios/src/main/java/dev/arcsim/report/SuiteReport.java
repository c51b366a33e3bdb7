package dev.arcsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The suite's table, scenario × policy: verdict, worst recovery, pickup p95 and API calls, as {@code suite.md} and
 * {@code suite.json}. A cell links to the run's report.
 */
public final class SuiteReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One cell: where the run's report is, relative to the suite's directory, and what it said. */
    public record Cell(String scenario, String policy, String verdict, Double recoverySeconds, Double pickupP95Seconds,
                       long apiCalls, int listenerRestarts, List<String> unmetExpectations, String report) {
    }

    private SuiteReport() {
    }

    public static Cell cell(RunSummary s, String report) {
        return new Cell(s.scenario(), s.policy(), s.verdict(), s.recoverySeconds(), s.pickupP95Seconds(), s.apiCalls(),
                s.listenerRestarts(), s.unmetExpectations(), report);
    }

    public static void write(List<Cell> cells, Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("asExpected", cells.stream().allMatch(c -> c.unmetExpectations().isEmpty()));
        json.put("runs", cells);
        Files.writeString(dir.resolve("suite.json"), JSON.writeValueAsString(json) + "\n");
        Files.writeString(dir.resolve("suite.md"), markdown(cells, command));
    }

    public static String markdown(List<Cell> cells, String command) {
        Set<String> scenarios = new LinkedHashSet<>();
        Set<String> policies = new LinkedHashSet<>();
        cells.forEach(c -> {
            scenarios.add(c.scenario());
            policies.add(c.policy());
        });
        StringBuilder md = new StringBuilder("# arcsim suite\n\n");
        md.append("`").append(command).append("`: each cell is one run, judged from its history. ")
                .append("**pass**: every invariant held; **expected-fail**: the policy broke exactly what the scenario ")
                .append("says it breaks (ARC's known failures); **fail**: anything else. Then the worst recovery (to the ")
                .append("first successful poll after a disruption), pickup p95, API calls and listener restarts.\n\n");
        md.append("| scenario |");
        policies.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append("\n|---|");
        policies.forEach(p -> md.append("---|"));
        md.append('\n');
        for (String s : scenarios) {
            md.append("| ").append(s).append(" |");
            for (String p : policies) {
                Cell c = cells.stream().filter(x -> x.scenario().equals(s) && x.policy().equals(p)).findFirst().orElse(null);
                md.append(' ').append(c == null ? "" : text(c)).append(" |");
            }
            md.append('\n');
        }
        List<String> unmet = new ArrayList<>();
        cells.forEach(c -> c.unmetExpectations().forEach(u -> unmet.add(c.scenario() + " / " + c.policy() + ": " + u)));
        md.append('\n').append(unmet.isEmpty() ? "Every run came out as its scenario expects.\n"
                : "Not as expected:\n\n" + String.join("\n", unmet.stream().map(u -> "- " + u).toList()) + "\n");
        return md.toString();
    }

    private static String text(Cell c) {
        String verdict = c.verdict().equals("fail") ? "**FAIL**" : c.verdict();
        return "[" + verdict + "](" + c.report() + ") · rec " + RunSummary.seconds(c.recoverySeconds()) + " · p95 "
                + RunSummary.seconds(c.pickupP95Seconds()) + " · " + c.apiCalls() + " calls · " + c.listenerRestarts() + " restarts";
    }

    /** The table as the terminal shows it. */
    public static String table(List<Cell> cells) {
        StringBuilder out = new StringBuilder(String.format("  %-36s %-12s %-14s %9s %9s %6s %8s%n", "scenario", "policy",
                "verdict", "recovery", "p95", "calls", "restarts"));
        for (Cell c : cells) {
            out.append(String.format("  %-36s %-12s %-14s %9s %9s %6d %8d%n", c.scenario(), c.policy(),
                    c.verdict().equals("fail") ? "FAIL" : c.verdict(), RunSummary.seconds(c.recoverySeconds()),
                    RunSummary.seconds(c.pickupP95Seconds()), c.apiCalls(), c.listenerRestarts()));
        }
        return out.toString();
    }
}
