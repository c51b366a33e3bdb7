package dev.arcsim.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code arcsim scenario list} and the input errors of {@code scenario run} (the runs themselves: SeedScenariosTest). */
class ScenarioCommandTest {

    @Test
    void listNamesEachScenarioWithWhatHappensInIt() {
        StringWriter out = new StringWriter();
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("scenario", "list"));
        assertTrue(out.toString().contains("listener-sigkill-orphaned-session"), out.toString());
        assertTrue(out.toString().contains("orphan TTL"), out.toString());
        assertEquals(dev.arcsim.scenario.Catalogue.NAMES.size(), out.toString().lines().count(), out.toString());
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void aBadScenarioFileExitsWith2NamingTheFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("mine.yaml");
        java.nio.file.Files.writeString(file, """
                name: mine
                workload:
                  arrivals: {process: constant, jobs: 3, over: 5s}
                  jobDuration: 1s
                timeline:
                  - {at: 10s, until: 5s, do: fault, fault: {kind: status, status: 503}}
                expect:
                  recoveryWithin: 10s
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "scenario", "run", file.toString()));
        assertEquals("arcsim scenario run: " + file + ":6: timeline[0].until: must be after at (10s), got 5s",
                err.toString().trim());

        StringWriter out2 = new StringWriter();
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(out2, err2, "scenario", "check", file.toString(), "scenarios/steady-state.yaml"));
        assertTrue(err2.toString().contains(file + ":6: timeline[0].until"), err2.toString());
        assertTrue(out2.toString().contains("scenarios/steady-state.yaml: ok (steady-state, 0 timeline step(s))"), out2.toString());
    }

    @Test
    void exploreRefusesBadInputAndReportsWhatItTried(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "explore", "--runs", "0"));
        assertEquals("arcsim explore: --runs must be between 1 and 1000000, got 0", err.toString().trim());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "explore", "--policy", "fast"));
        assertTrue(err2.toString().contains("unknown policy \"fast\""), err2.toString());

        StringWriter out3 = new StringWriter();
        assertEquals(0, run(out3, new StringWriter(), "explore", "--runs", "3", "--seed", "2026", "--out", dir.toString()));
        assertTrue(out3.toString().contains("3 random scenario(s) from seed 2026 under resilient"), out3.toString());
        assertEquals(3, out3.toString().lines().filter(l -> l.contains(" held ")).count(), out3.toString());
        assertTrue(out3.toString().contains("nothing broke in 3 scenario(s)"), out3.toString());
    }

    @Test
    void aSuiteThatMatchesNoScenarioOrNamesABadPolicyExitsWith2() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "suite", "--scenarios", "nothing-like-this*"));
        assertTrue(err.toString().contains("--scenarios nothing-like-this* matches no scenario; the catalogue has: steady-state"),
                err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "suite", "--policies", "resilient,fast"));
        assertTrue(err2.toString().contains("unknown policy \"fast\""), err2.toString());
    }

    @Test
    void anUnknownScenarioOrPolicyExitsWith2NamingWhatExists() {
        StringWriter err = new StringWriter();
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("scenario", "run", "nope"));
        assertTrue(err.toString().startsWith("arcsim scenario run: no scenario named \"nope\"; the catalogue has: "
                + "steady-state, listener-sigkill-orphaned-session"), err.toString());

        StringWriter err2 = new StringWriter();
        CommandLine cli2 = ArcsimCommand.commandLine();
        cli2.setErr(new PrintWriter(err2));
        assertEquals(2, cli2.execute("scenario", "run", "listener-sigkill-orphaned-session", "--policy", "fast"));
        assertTrue(err2.toString().contains("unknown policy \"fast\""), err2.toString());
    }

    @Test
    void theRealClusterIsRefusedInTheSimWorldAndNamesItsInstallWhenMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "scenario", "run", "steady-state", "--world", "sim", "--cluster", "real"));
        assertTrue(err.toString().startsWith("arcsim scenario run: --cluster real is for the wire world: the sim world runs on "
                + "its own in-memory store"), err.toString());

        StringWriter err2 = new StringWriter();
        assertEquals(2, run(out, err2, "suite", "--cluster", "kind"));
        assertTrue(err2.toString().contains("--cluster must be mock or real, got \"kind\""), err2.toString());

        String before = System.getProperty("arcsim.kube.home");
        System.setProperty("arcsim.kube.home", empty.toString());
        try {
            StringWriter err3 = new StringWriter();
            assertEquals(2, run(out, err3, "demo", "--cluster", "real"));
            assertTrue(err3.toString().contains("is not installed in " + empty.resolve(dev.arcsim.world.real.RealTier.versionDir()
                    .getFileName().toString())), err3.toString());
            assertTrue(err3.toString().contains("run ./arcsim kube install"), err3.toString());
        } finally {
            if (before == null) {
                System.clearProperty("arcsim.kube.home");
            } else {
                System.setProperty("arcsim.kube.home", before);
            }
        }
    }

    @Test
    void arcIsRefusedWhereItCannotRunAndAWrongFolderIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "scenario", "run", "steady-state", "--world", "sim", "--arc", dir.toString()));
        assertTrue(err.toString().contains("--arc runs ARC's controller and listener as processes on the wall clock: use --world wire"),
                err.toString());

        StringWriter err2 = new StringWriter();
        assertEquals(2, run(out, err2, "scenario", "run", "steady-state", "--cluster", "mock", "--arc", dir.toString()));
        assertTrue(err2.toString().contains("--arc needs a real API server"), err2.toString());

        StringWriter err3 = new StringWriter();
        assertEquals(2, run(out, err3, "scenario", "run", "steady-state", "--arc", dir.toString(), "--listener-binary", "/bin/true"));
        assertTrue(err3.toString().contains("leave out --listener-binary"), err3.toString());

        StringWriter err4 = new StringWriter();
        assertEquals(2, run(out, err4, "scenario", "run", "steady-state", "--arc", dir.resolve("nowhere").toString()));
        assertTrue(err4.toString().contains("--arc " + dir.resolve("nowhere") + ": no such folder"), err4.toString());
        assertEquals(1, err4.toString().strip().lines().count(), "one line: " + err4);
    }
}
