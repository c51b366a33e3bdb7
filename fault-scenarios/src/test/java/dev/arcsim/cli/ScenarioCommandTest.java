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
    }

    @Test
    void anUnknownScenarioOrPolicyExitsWith2NamingWhatExists() {
        StringWriter err = new StringWriter();
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("scenario", "run", "nope"));
        assertTrue(err.toString().startsWith("arcsim scenario run: no scenario named \"nope\"; there are: "
                + "listener-sigkill-orphaned-session"), err.toString());

        StringWriter err2 = new StringWriter();
        CommandLine cli2 = ArcsimCommand.commandLine();
        cli2.setErr(new PrintWriter(err2));
        assertEquals(2, cli2.execute("scenario", "run", "listener-sigkill-orphaned-session", "--policy", "fast"));
        assertTrue(err2.toString().contains("unknown policy \"fast\""), err2.toString());
    }
}
