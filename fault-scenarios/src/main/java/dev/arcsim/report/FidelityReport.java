package dev.arcsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model of ARC's listener held to ARC's binary: each scenario played twice on the wire, once with arcsim's listener
 * playing the model and once with the binary in the listener pods, both judged by the model's expectations. A row
 * agrees when both runs have the same verdict and break the same invariants; the measures beside them (restarts,
 * 409s, orphaned sessions, jobs lost, recovery) say how close the model is where the verdicts match. Written as
 * {@code fidelity.md} and {@code fidelity.json}.
 */
public final class FidelityReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One run of a pair.
     *
     * @param verdict {@code pass}, {@code expected-fail}, {@code fail}, or {@code error} when the run could not be played
     * @param error   why it could not be played; null when it was
     * @param report  the run's report, relative to the suite's folder; null when it could not be played
     */
    public record Side(String verdict, List<String> broken, int listenerRestarts, long sessionConflicts,
                       int sessionsOrphaned, int jobsLost, Double recoverySeconds, List<String> unmetExpectations,
                       String report, String error) {

        public static Side of(RunSummary s, String report) {
            return new Side(s.verdict(), List.copyOf(s.broken()), s.listenerRestarts(), s.sessionConflicts(),
                    s.sessionsOrphaned(), s.jobsLost(), s.recoverySeconds(), s.unmetExpectations(), report, null);
        }

        public static Side failed(String why) {
            return new Side("error", List.of(), 0, 0, 0, 0, null, List.of(), null, why);
        }
    }

    /**
     * A scenario under one model and its binary.
     *
     * @param binary       the binary's path as given (an ARC release's folder for a full-stack row)
     * @param sha256       the listener binary's sha256 (null when the binary's run could not be played)
     * @param binaryRun    ARC's listener in the pods of arcsim's controller
     * @param fullStackRun ARC's controller and listener together on a real API server; null when the model was given
     *                     a listener binary only
     * @param agree        same verdict and same broken invariants, every run played
     */
    public record Row(String scenario, String model, String binary, String sha256, Side modelRun, Side binaryRun,
                      Side fullStackRun, boolean agree) {

        public static Row of(String scenario, String model, String binary, String sha256, Side modelRun, Side binaryRun) {
            return of(scenario, model, binary, sha256, modelRun, binaryRun, null);
        }

        public static Row of(String scenario, String model, String binary, String sha256, Side modelRun, Side binaryRun,
                             Side fullStackRun) {
            return new Row(scenario, model, binary, sha256, modelRun, binaryRun, fullStackRun,
                    same(modelRun, binaryRun) && (fullStackRun == null || same(modelRun, fullStackRun)));
        }

        private static boolean same(Side a, Side b) {
            return a.error() == null && b.error() == null && a.verdict().equals(b.verdict()) && a.broken().equals(b.broken());
        }
    }

    private FidelityReport() {
    }

    public static void write(List<Row> rows, Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("agree", rows.stream().allMatch(Row::agree));
        json.put("rows", rows);
        Files.writeString(dir.resolve("fidelity.json"), JSON.writeValueAsString(json) + "\n");
        Files.writeString(dir.resolve("fidelity.md"), markdown(rows, command));
    }

    public static String markdown(List<Row> rows, String command) {
        StringBuilder md = new StringBuilder("# arcsim fidelity: ARC's models against ARC's listener binaries\n\n");
        md.append("`").append(command).append("`: each scenario played twice on the wire world, once with arcsim's ")
                .append("listener playing the model and once with the model's binary in the listener pods, both judged by ")
                .append("the model's expectations in the scenario file. A row **agrees** when both runs have the same ")
                .append("verdict and break the same invariants. Each cell is *model / binary* (one value when both are the same). ")
                .append(rows.stream().anyMatch(r -> r.fullStackRun() != null)
                        ? "Where the model was given an ARC release, a third value is the *full stack*: ARC's own controller (its CRDs, "
                        + "its chart's RBAC) and listener together on a real API server. " : "")
                .append("Restarts are listener pod ")
                .append("restarts, 409s are session creates refused as conflicts, orphaned counts sessions left to the ")
                .append("service's orphan TTL.\n\n");
        md.append("Binaries:\n\n");
        rows.stream().filter(r -> r.sha256() != null)
                .map(r -> "- `" + r.model() + "`: `" + r.binary() + "` (sha256 `" + r.sha256() + "`)")
                .distinct().forEach(line -> md.append(line).append('\n'));
        md.append("\n| scenario | model | agree | verdict | broken | restarts | 409s | orphaned | jobs lost | recovery |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Side m = r.modelRun();
            Side b = r.binaryRun();
            Side f = r.fullStackRun();
            md.append("| ").append(r.scenario()).append(" | ").append(r.model()).append(" | ")
                    .append(r.agree() ? "yes" : "**NO**").append(" | ")
                    .append(link(m)).append(" / ").append(link(b)).append(f == null ? "" : " / " + link(f)).append(" | ")
                    .append(cell(r, s -> broken(s))).append(" | ")
                    .append(cell(r, Side::listenerRestarts)).append(" | ")
                    .append(cell(r, Side::sessionConflicts)).append(" | ")
                    .append(cell(r, Side::sessionsOrphaned)).append(" | ")
                    .append(cell(r, Side::jobsLost)).append(" | ")
                    .append(RunSummary.seconds(m.recoverySeconds())).append(" / ").append(RunSummary.seconds(b.recoverySeconds()))
                    .append(f == null ? "" : " / " + RunSummary.seconds(f.recoverySeconds()))
                    .append(" |\n");
        }
        long disagree = rows.stream().filter(r -> !r.agree()).count();
        md.append('\n').append(disagree == 0 ? "Model and binary agree in every row.\n"
                : disagree + " of " + rows.size() + " rows disagree.\n");
        List<String> errors = rows.stream().flatMap(r -> java.util.stream.Stream.of(r.modelRun(), r.binaryRun(), r.fullStackRun())
                .filter(s -> s != null && s.error() != null).map(s -> r.scenario() + " / " + r.model() + ": " + s.error())).toList();
        if (!errors.isEmpty()) {
            md.append("\nCould not be played:\n\n");
            errors.forEach(e -> md.append("- ").append(e).append('\n'));
        }
        return md.toString();
    }

    /** The table as the terminal shows it. */
    public static String table(List<Row> rows) {
        String f = "  %-36s %-12s %-5s %-29s %-9s %-9s %s%n";
        StringBuilder out = new StringBuilder(String.format(f, "scenario", "model", "agree", "verdict (model / binary"
                        + (rows.stream().anyMatch(r -> r.fullStackRun() != null) ? " / full)" : ")"),
                "restarts", "409s", "recovery"));
        for (Row r : rows) {
            out.append(String.format(f, r.scenario(), r.model(), r.agree() ? "yes" : "NO",
                    r.modelRun().verdict() + " / " + r.binaryRun().verdict()
                            + (r.fullStackRun() == null ? "" : " / " + r.fullStackRun().verdict()),
                    cell(r, Side::listenerRestarts), cell(r, Side::sessionConflicts),
                    RunSummary.seconds(r.modelRun().recoverySeconds()) + " / " + RunSummary.seconds(r.binaryRun().recoverySeconds())
                            + (r.fullStackRun() == null ? "" : " / " + RunSummary.seconds(r.fullStackRun().recoverySeconds()))));
        }
        return out.toString();
    }

    private static String link(Side s) {
        String verdict = s.verdict().equals("fail") || s.verdict().equals("error") ? "**" + s.verdict() + "**" : s.verdict();
        return s.report() == null ? verdict : "[" + verdict + "](" + s.report() + ")";
    }

    private static String broken(Side s) {
        return s.broken().isEmpty() ? "-" : String.join(", ", s.broken());
    }

    /** One measure of a row's runs: model / binary, and / full stack where it has one; one value when all agree. */
    private static String cell(Row r, java.util.function.Function<Side, Object> measure) {
        Object m = measure.apply(r.modelRun());
        Object b = measure.apply(r.binaryRun());
        if (r.fullStackRun() == null) {
            return pair(m, b);
        }
        Object f = measure.apply(r.fullStackRun());
        return Objects.equals(m, b) && Objects.equals(b, f) ? String.valueOf(m) : m + " / " + b + " / " + f;
    }

    private static String pair(Object model, Object binary) {
        return Objects.equals(model, binary) ? String.valueOf(model) : model + " / " + binary;
    }
}
