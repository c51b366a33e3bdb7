package dev.arcsim.report;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Runs as JUnit XML, the report format CI systems show (GitHub's test reporters, Jenkins, GitLab): one
 * {@code <testcase>} per scenario x policy. A run that did not come out as its scenario expects is a {@code <failure>}
 * whose text names each broken invariant with its evidence (history sequence numbers), what was unmet, the report and
 * the command that replays it; a run that could not be played is an {@code <error>}. A run that broke exactly what ARC
 * is known to break passes, and says so in its {@code <system-out>}.
 *
 * <p>The shape is the one Ant's JUnit task writes and the CI systems read ({@code testsuites > testsuite > testcase});
 * JunitXmlTest holds the output to a schema of it.
 */
public final class JunitXml {

    /**
     * One test case.
     *
     * @param classname the group CI systems list it under
     * @param failure   why it failed (the failure's text); null when it passed
     * @param error     why it could not be played; null when it was
     * @param out       what a reader of a passing case wants to know (its verdict); may be empty
     */
    public record Case(String classname, String name, double seconds, String failureMessage, String failure,
                       String error, String out) {

        /**
         * A played run: a failure when it did not come out as its scenario expects for its policy.
         *
         * @param wallSeconds how long it took to play (its world time, in the sim world far longer, is in the text)
         */
        public static Case of(RunSummary s, String report, double wallSeconds) {
            String name = s.scenario() + " [" + s.policy() + "]";
            StringBuilder out = new StringBuilder("verdict: " + s.verdict() + "\n");
            out.append(String.format(Locale.ROOT, "played %.1f s of %s world time, seed %d\n", s.durationSeconds(),
                    s.world(), s.seed()));
            if (!s.expectedBreaks().isEmpty()) {
                out.append("expected to break: ").append(String.join(", ", new TreeSet<>(s.expectedBreaks())))
                        .append(" (where ARC is known to break)\n");
            }
            out.append("jobs queued ").append(s.jobsQueued()).append(", completed ").append(s.jobsCompleted())
                    .append(", lost ").append(s.jobsLost()).append(", run twice ").append(s.jobsDuplicated()).append('\n');
            out.append("report: ").append(report).append('\n');
            if (s.asExpected()) {
                return new Case(classname(s.scenario()), name, wallSeconds, null, null, null, out.toString());
            }
            StringBuilder why = new StringBuilder();
            s.unmetExpectations().forEach(u -> why.append("not as expected: ").append(u).append('\n'));
            s.invariants().forEach((invariant, v) -> {
                if (!v.ok()) {
                    why.append(invariant).append(" BROKEN: ").append(v.message());
                    if (!v.evidence().isEmpty()) {
                        why.append(" (evidence: history events ").append(join(v.evidence())).append(')');
                    }
                    why.append('\n');
                }
            });
            why.append(out);
            why.append("replay: ").append(s.replay()).append('\n');
            String message = s.unmetExpectations().isEmpty() ? "not as expected for " + s.policy()
                    : String.join("; ", s.unmetExpectations());
            return new Case(classname(s.scenario()), name, wallSeconds, message,
                    why.toString(), null, "");
        }

        /** A run that could not be played. */
        public static Case error(String scenario, String policy, String why, String replay) {
            return new Case(classname(scenario), scenario + " [" + policy + "]", 0, null, null,
                    why + "\nreplay: " + replay + "\n", "");
        }

        /** A fidelity row: a failure when the model and ARC's binary (and the full stack) do not agree. */
        public static Case of(FidelityReport.Row row) {
            String name = row.scenario() + " [" + row.model() + " vs " + row.binary() + "]";
            StringBuilder sides = new StringBuilder();
            side(sides, "model (arcsim's listener as " + row.model() + ")", row.modelRun());
            side(sides, "binary", row.binaryRun());
            if (row.fullStackRun() != null) {
                side(sides, "full stack (ARC's controller and listener)", row.fullStackRun());
            }
            if (row.agree()) {
                return new Case(classname(row.scenario()) + ".fidelity", name, 0, null, null, null,
                        "model and binary agree\n" + sides);
            }
            return new Case(classname(row.scenario()) + ".fidelity", name, 0,
                    "the model " + row.model() + " does not do what its binary does here", sides.toString(), null, "");
        }

        private static void side(StringBuilder out, String label, FidelityReport.Side s) {
            out.append(label).append(": ").append(s.verdict());
            if (!s.broken().isEmpty()) {
                out.append(", broke ").append(String.join(", ", s.broken()));
            }
            if (s.error() != null) {
                out.append(" (").append(s.error()).append(')');
            }
            if (s.report() != null) {
                out.append(", report ").append(s.report());
            }
            out.append('\n');
        }

        private static String classname(String scenario) {
            return "arcsim." + scenario;
        }
    }

    private JunitXml() {
    }

    /** Writes {@code cases} as one test suite named {@code suite} to {@code file}, making its folder. */
    public static void write(String suite, List<Case> cases, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            long failures = cases.stream().filter(c -> c.failure() != null).count();
            long errors = cases.stream().filter(c -> c.error() != null).count();
            String time = seconds(cases.stream().mapToDouble(Case::seconds).sum());
            x.writeStartElement("testsuites");
            attributes(x, "name", suite, "tests", cases.size(), "failures", failures, "errors", errors, "time", time);
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            attributes(x, "name", suite, "tests", cases.size(), "failures", failures, "errors", errors, "skipped", 0,
                    "time", time);
            for (Case c : cases) {
                x.writeCharacters("\n    ");
                x.writeStartElement("testcase");
                attributes(x, "name", c.name(), "classname", c.classname(), "time", seconds(c.seconds()));
                if (c.failure() != null) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("failure");
                    attributes(x, "message", c.failureMessage(), "type", "NotAsExpected");
                    x.writeCharacters(xmlText(c.failure()));
                    x.writeEndElement();
                }
                if (c.error() != null) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("error");
                    attributes(x, "message", firstLine(c.error()), "type", "CouldNotRun");
                    x.writeCharacters(xmlText(c.error()));
                    x.writeEndElement();
                }
                if (!c.out().isEmpty()) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("system-out");
                    x.writeCharacters(xmlText(c.out()));
                    x.writeEndElement();
                }
                x.writeCharacters("\n    ");
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            Files.deleteIfExists(partial);
            throw new IOException("could not write " + file + ": " + e.getMessage(), e);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void attributes(XMLStreamWriter x, Object... pairs) throws XMLStreamException {
        for (int i = 0; i < pairs.length; i += 2) {
            x.writeAttribute((String) pairs[i], xmlText(String.valueOf(pairs[i + 1])));
        }
    }

    /** XML 1.0 has no way to write most control characters, even escaped: they become U+FFFD. */
    static String xmlText(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }

    private static String seconds(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.3f", s) : "0.000";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String join(List<Long> seqs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seqs.size() && i < 20; i++) {
            out.add(String.valueOf(seqs.get(i)));
        }
        return String.join(", ", out) + (seqs.size() > 20 ? " and " + (seqs.size() - 20) + " more" : "");
    }
}
