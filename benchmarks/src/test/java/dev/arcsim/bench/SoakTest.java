package dev.arcsim.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak's simulated run does the work it reports, and its section lands in bench.md once. */
class SoakTest {

    @Test
    void aSimulatedSoakCompletesEveryJobAndSamplesAsItGoes() throws Exception {
        StringWriter progress = new StringWriter();
        Soak.Run run = Soak.simulated(0.125, Duration.ofHours(1), new PrintWriter(progress));   // three simulated hours
        assertEquals("3600 of 3600 jobs completed", run.outcome());
        assertEquals(4, run.samples().size(), "the start and each simulated hour");
        Soak.Sample last = run.last();
        assertTrue(last.jobsCompleted() > 3400, "jobs complete as they go: " + last.jobsCompleted());
        assertTrue(last.held().jobs() >= last.jobsCompleted() && last.held().jobs() <= 3600, "the fake holds " + last.held());
        assertEquals(0, last.held().jobsRetired(), "fewer than 10,000 completed: none retired yet");
        assertTrue(last.threads() < 100, "runner threads end with their job: " + last.threads());
        String md = Soak.markdown(List.of(run));
        assertTrue(md.startsWith("## Soak\n") && md.contains("| 3 |") && md.contains("3600 of 3600 jobs completed"), md);
    }

    @Test
    void theSectionReplacesAnEarlierOneAndKeepsWhatFollows() {
        String bench = "# arcsim bench\n\n## Throughput\n\nx\n\n## Soak\n\nold\n\n## Later\n\ny\n";
        String once = Soak.withSection(bench, "## Soak\n\nnew\n\n");
        assertEquals("# arcsim bench\n\n## Throughput\n\nx\n\n## Soak\n\nnew\n\n## Later\n\ny\n", once);
        assertEquals(once, Soak.withSection(once, "## Soak\n\nnew\n\n"), "writing it again changes nothing");
        assertEquals("# a\n\n## Soak\n\nnew\n", Soak.withSection("# a\n", "## Soak\n\nnew\n"), "appended where there was none");
    }

    @Test
    void theHeapInUseIsReadFromJcmdAsEitherJdkWritesIt() {
        assertEquals(158_774L * 1024, Soak.heapUsed("19734:\n garbage-first heap   total reserved 6172672K, committed 208896K, "
                + "used 158774K [0x0000000687400000, 0x0000000800000000)\n region size 4096K"));
        assertEquals(45_678L * 1024, Soak.heapUsed(" garbage-first heap   total 262144K, used 45678K [0x1, 0x2)"));
        assertEquals(-1, Soak.heapUsed("19734:\nCommand not found"));
    }

    @Test
    void aSoakJsonReadsBackToTheRunsItWasWrittenFrom() {
        Soak.Run week = new Soak.Run("simulated week", "w", List.of(
                new Soak.Sample(0, 1024, 8, 11, 0, new dev.arcsim.fake.FakeGitHub.Held(0, 0, 2, 3)),
                new Soak.Sample(6, 2048, 28, 11, 7181, new dev.arcsim.fake.FakeGitHub.Held(7200, 5, 78, 93719))), 0, "ok");
        Soak.Run hour = new Soak.Run("wall-clock hour", "h", List.of(new Soak.Sample(0.5, 4096, 57, 41, -1, null)), 1234, "exit 0");
        assertEquals(List.of(week, hour), Soak.read(Soak.json(List.of(week, hour))));
    }
}
