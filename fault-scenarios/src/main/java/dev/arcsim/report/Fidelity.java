package dev.arcsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Model against binary: each scenario played under one of arcsim's ARC models and under the ARC listener binary it
 * models, side by side, and whether they agree (the same verdict and the same broken invariants). Written as
 * {@code fidelity.md} for people and {@code fidelity.json} for machines.
 */
public final class Fidelity {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One run's outcome, as the comparison shows it. */
    public record Side(String verdict, SortedSet<String> broken, int listenerRestarts, long sessionConflicts,
                       int sessionsOrphaned, int jobsLost, int jobsDuplicated, Double recoverySeconds, String report) {
        static Side of(RunSummary s, String report) {
            return new Side(s.verdict(), s.broken(), s.listenerRestarts(), s.sessionConflicts(), s.sessionsOrphaned(),
                    s.jobsLost(), s.jobsDuplicated(), s.recoverySeconds(), report);
        }
    }

    /**
     * @param note why model and binary may differ here; null where nothing explains it
     */
    public record Row(String scenario, String model, String binary, String sha256, Side modelRun, Side binaryRun,
                      boolean agree, String note) {
    }

    private Fidelity() {
    }

    public static Row row(RunSummary model, String modelReport, RunSummary binary, String binaryReport, String note) {
        Side m = Side.of(model, modelReport);
        Side b = Side.of(binary, binaryReport);
        boolean agree = m.verdict().equals(b.verdict()) && m.broken().equals(b.broken());
        return new Row(model.scenario(), model.policy(), binary.listener().binary(), binary.listener().sha256(), m, b,
                agree, note);
    }

    /** Rows whose model and binary disagree and that no note explains. */
    public static List<Row> unexplained(List<Row> rows) {
        return rows.stream().filter(r -> !r.agree() && r.note() == null).toList();
    }

    public static void write(List<Row> rows, Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("agree", unexplained(rows).isEmpty());
        json.put("rows", rows);
        Files.writeString(dir.resolve("fidelity.json"), JSON.writeValueAsString(json) + "\n");
        Files.writeString(dir.resolve("fidelity.md"), markdown(rows, command));
    }

    public static String markdown(List<Row> rows, String command) {
        StringBuilder md = new StringBuilder("# Fidelity: arcsim's ARC models against ARC's listener binaries\n\n");
        md.append("Each scenario played on the wire world twice: under the model (arcsim's listener with the policy) and ")
                .append("under the real binary in the listener pods, judged by the same model's expectations. They agree ")
                .append("when the verdict and the broken invariants are the same. A side reads: verdict · broken · ")
                .append("listener restarts · 409s on session create · sessions orphaned · jobs lost · worst recovery.\n\n")
                .append("Made by `").append(command).append("`.\n");
        Set<String> models = new LinkedHashSet<>();
        rows.forEach(r -> models.add(r.model()));
        for (String model : models) {
            List<Row> mine = rows.stream().filter(r -> r.model().equals(model)).toList();
            Row first = mine.get(0);
            long agreeing = mine.stream().filter(Row::agree).count();
            md.append("\n## ").append(model).append(" against `").append(first.binary()).append("`\n\n")
                    .append("sha256 `").append(first.sha256()).append("`: ").append(agreeing).append(" of ")
                    .append(mine.size()).append(" rows agree.\n\n")
                    .append("| scenario | agree | model | binary |\n|---|---|---|---|\n");
            for (Row r : mine) {
                md.append("| ").append(r.scenario()).append(" | ").append(r.agree() ? "yes" : r.note() != null ? "no (explained)" : "**NO**")
                        .append(" | ").append(text(r.modelRun())).append(" | ").append(text(r.binaryRun())).append(" |\n");
            }
            mine.stream().filter(r -> r.note() != null).forEach(r ->
                    md.append("\n- ").append(r.scenario()).append(": ").append(r.note()));
            if (mine.stream().anyMatch(r -> r.note() != null)) {
                md.append("\n");
            }
        }
        return md.toString();
    }

    private static String text(Side s) {
        String verdict = s.verdict().equals("fail") ? "**fail**" : s.verdict();
        return (s.report() == null ? verdict : "[" + verdict + "](" + s.report() + ")") + " · "
                + (s.broken().isEmpty() ? "none" : String.join(", ", s.broken())) + " · " + s.listenerRestarts() + " · "
                + s.sessionConflicts() + " · " + s.sessionsOrphaned() + " · " + s.jobsLost() + " · "
                + RunSummary.seconds(s.recoverySeconds());
    }
}
