package dev.arcsim.report;

import dev.arcsim.check.Invariants;
import dev.arcsim.check.Verdict;
import dev.arcsim.cli.ArcsimCommand;
import dev.arcsim.history.HistoryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --junit}: JUnit XML that holds to the schema CI systems read, and says what broke, where, and how to replay. */
class JunitXmlTest {

    /** Validates {@code file} against the JUnit schema (junit.xsd beside this test) and parses it. */
    private static Document valid(Path file) throws Exception {
        SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        schemas.newSchema(JunitXmlTest.class.getResource("junit.xsd")).newValidator()
                .validate(new StreamSource(file.toFile()));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> cases(Document doc) {
        NodeList nodes = doc.getElementsByTagName("testcase");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static String child(Element testcase, String name) {
        NodeList n = testcase.getElementsByTagName(name);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void aSuiteWritesOneCasePerScenarioAndPolicyAndWhatArcIsKnownToBreakPasses(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("ci/arcsim.xml");   // its folder is made
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, "suite", "--scenarios", "listener-sigkill*", "--report", dir.resolve("r").toString(),
                "--junit", xml.toString()), out + "\n" + err);
        assertTrue(out.toString().contains("junit: " + xml), out.toString());

        Document doc = valid(xml);
        List<Element> cases = cases(doc);
        assertEquals(List.of("listener-sigkill-orphaned-session [resilient]", "listener-sigkill-orphaned-session [arc-legacy]",
                        "listener-sigkill-orphaned-session [arc-current]"),
                cases.stream().map(c -> c.getAttribute("name")).toList());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        for (Element c : cases) {
            assertEquals("arcsim.listener-sigkill-orphaned-session", c.getAttribute("classname"));
            assertEquals(null, child(c, "failure"), c.getAttribute("name"));
            double seconds = Double.parseDouble(c.getAttribute("time"));
            assertTrue(seconds < 300, "the wall time of a simulated run, not its 310 s of world time: " + seconds);
            assertTrue(child(c, "system-out").contains("of sim world time"), child(c, "system-out"));
        }
        String arc = child(cases.get(2), "system-out");
        assertTrue(arc.contains("verdict: expected-fail"), arc);
        assertTrue(arc.contains("expected to break: bounded-recovery"), arc);
        assertTrue(arc.contains("report: listener-sigkill-orphaned-session/arc-current/report.md"), arc);
        assertTrue(Files.exists(dir.resolve("r").resolve("listener-sigkill-orphaned-session/arc-current/report.md")));
    }

    @Test
    void aRunNotAsExpectedIsAFailureNamingTheBrokenInvariantItsEvidenceAndTheReplay(@TempDir Path dir) throws Exception {
        List<HistoryEvent> events = ReportsTest.history().events();
        List<Verdict> verdicts = Invariants.all(0, 5, Duration.ofMillis(500)).stream().map(c -> c.check(events)).toList();
        RunSummary broke = RunSummary.of("s", "d", "resilient", 3, "wire", events, verdicts, Set.of(), List.of(), 11.0,
                "./arcsim scenario run s --policy resilient --seed 3");
        RunSummary.Invariant recovery = broke.invariants().get("bounded-recovery");
        assertFalse(recovery.ok());
        assertFalse(recovery.evidence().isEmpty(), "the checker names the events it judged");

        Path xml = dir.resolve("one.xml");
        JunitXml.write("arcsim scenario run", List.of(JunitXml.Case.of(broke, "r/report.md", 1.25)), xml);
        Document doc = valid(xml);
        Element c = cases(doc).get(0);
        assertEquals("1", ((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("failures"));
        assertEquals("1.250", c.getAttribute("time"));
        Element failure = (Element) c.getElementsByTagName("failure").item(0);
        assertEquals("expected to break nothing, broke bounded-recovery", failure.getAttribute("message"));
        String text = failure.getTextContent();
        assertTrue(text.contains("bounded-recovery BROKEN: " + recovery.message()), text);
        assertTrue(text.contains("(evidence: history events " + recovery.evidence().get(0)), text);
        assertTrue(text.contains("replay: ./arcsim scenario run s --policy resilient --seed 3"), text);
        assertTrue(text.contains("report: r/report.md"), text);
    }

    @Test
    void aRunThatCouldNotPlayIsAnErrorAndNoCharacterBreaksTheXml(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("e.xml");
        // a listener binary's message can carry anything: a NUL, a terminal colour escape
        JunitXml.write("arcsim suite", List.of(JunitXml.Case.error("steady-state", "binary",
                "listener exited\u0000 with \u001b[31m<&>\"", "./arcsim scenario run scenarios/steady-state.yaml")), xml);
        Document doc = valid(xml);
        Element c = cases(doc).get(0);
        assertEquals("1", ((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("errors"));
        Element error = (Element) c.getElementsByTagName("error").item(0);
        assertEquals("listener exited\uFFFD with \uFFFD[31m<&>\"", error.getAttribute("message"));
        assertTrue(error.getTextContent().contains("replay: ./arcsim scenario run scenarios/steady-state.yaml"));
    }

    @Test
    void aFidelityRowIsAFailureWhenModelAndBinaryDisagree(@TempDir Path dir) throws Exception {
        FidelityReport.Side held = new FidelityReport.Side("pass", List.of(), 1, 0, 0, 0, 1.0, List.of(), "a/report.md", null);
        FidelityReport.Side broke = new FidelityReport.Side("expected-fail", List.of("bounded-recovery"), 9, 12, 1, 0, 300.0,
                List.of(), "b/report.md", null);
        Path xml = dir.resolve("f.xml");
        JunitXml.write("arcsim suite --fidelity", List.of(
                JunitXml.Case.of(FidelityReport.Row.of("x", "arc-current", "/p/ghalistener", "ab", held, broke)),
                JunitXml.Case.of(FidelityReport.Row.of("y", "arc-current", "/p/ghalistener", "ab", held, held))), xml);
        List<Element> cases = cases(valid(xml));
        assertEquals("x [arc-current vs /p/ghalistener]", cases.get(0).getAttribute("name"));
        String text = child(cases.get(0), "failure");
        assertTrue(text.contains("binary: expected-fail, broke bounded-recovery, report b/report.md"), text);
        assertEquals(null, child(cases.get(1), "failure"));
    }

    @Test
    void junitOnAFolderOrUnderAFileIsRefusedBeforeAnyRun(@TempDir Path dir) throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "scenario", "run", "steady-state", "--junit", dir.toString()));
        assertEquals("arcsim scenario run: --junit " + dir + " is a folder; give a file, e.g. --junit "
                + dir.resolve("arcsim.xml"), err.toString().trim());

        Path file = Files.writeString(dir.resolve("plain"), "x");
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "suite", "--junit", file.resolve("a.xml").toString()));
        assertTrue(err2.toString().contains("cannot write there (" + file + " is not a folder)"), err2.toString());
    }
}
