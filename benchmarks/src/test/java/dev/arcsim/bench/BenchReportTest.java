package dev.arcsim.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report reads JMH's JSON, divides the summed counters by the runs, and flags only what moved beyond the noise. */
class BenchReportTest {

    private static String row(String policy, String fault, double score, double error, int runs, double recovery, int unrecovered) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.arcsim.bench.RecoveryBenchmark.recover","mode":"thrpt","vmName":"OpenJDK","vmVersion":"25",
                 "params":{"policy":"%s","fault":"%s"},
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ops/s"},
                 "secondaryMetrics":{"runs":{"score":%d,"scoreError":"NaN","scoreUnit":"#"},
                   "recoverySeconds":{"score":%s,"scoreError":"NaN","scoreUnit":"#"},
                   "unrecovered":{"score":%d,"scoreError":"NaN","scoreUnit":"#"},
                   "apiCalls":{"score":%d,"scoreError":"NaN","scoreUnit":"#"}}}
                """.formatted(policy, fault, score, error, runs, recovery, unrecovered, runs * 30);
    }

    private static String throughputRow(double score, double error) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.arcsim.bench.ListenerThroughputBenchmark.handleFiftyJobMessage",
                 "mode":"thrpt","params":{},"primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ops/s",
                   "scorePercentiles":{"50.0":1200.0,"99.0":1300.0}},
                 "secondaryMetrics":{}}
                """.formatted(score, error);
    }

    private static Path json(Path dir, String name, String... rows) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "[" + String.join(",", rows) + "]");
        return p;
    }

    @Test
    void recoveryIsAMeanOverRecoveredRunsWithItsRatioToArcLegacy(@TempDir Path dir) throws Exception {
        BenchReport r = BenchReport.read(json(dir, "a.json",
                row("arc-legacy", "sigkill-ttl-5m", 2.0, 0.2, 4, 1200.0, 0),
                row("resilient", "sigkill-ttl-5m", 9.0, 0.5, 10, 30.0, 0),
                row("arc-current", "sigkill-ttl-5m", 2.0, 0.2, 4, 600.0, 2),
                throughputRow(1234.5, 56.7)));
        String text = r.summary();
        assertTrue(text.contains("300 s (1.00x)"), text);
        assertTrue(text.contains("3.0 s (0.010x)"), text);
        assertTrue(text.contains("300 s (1.00x), 2 of 4 never"), text);   // 600 s over the 2 that recovered
        r.write(dir, true);
        String md = Files.readString(dir.resolve("bench.md"));
        assertTrue(md.contains("| resilient | 3.0 s (0.010x) |"), md);
        assertTrue(md.contains("| sigkill-ttl-5m | resilient | 3.0 s | 30.0 |"), md);
        assertTrue(md.contains("9.00 ± 0.50"), md);
        assertTrue(md.contains("| listener message handling, in process | 1234.50 ± 56.70 | jobs/s |  |  |"), md);
        assertTrue(text.contains("listener message handling, in process: 1234.50 ± 56.70 jobs/s"), text);
        assertTrue(Files.size(dir.resolve("bench.png")) > 1000);
    }

    @Test
    void aComparisonFlagsOnlyChangesBeyondTheNoise(@TempDir Path dir) throws Exception {
        BenchReport before = BenchReport.read(json(dir, "before.json",
                row("resilient", "partition-1m", 10.0, 1.0, 10, 100.0, 0),
                row("arc-legacy", "partition-1m", 3.0, 0.3, 3, 900.0, 0)));
        BenchReport within = BenchReport.read(json(dir, "within.json",
                row("resilient", "partition-1m", 9.5, 1.0, 10, 104.0, 0),
                row("arc-legacy", "partition-1m", 3.1, 0.3, 3, 905.0, 0)));
        BenchReport.Comparison same = within.compareTo(before);
        assertEquals(0, same.regressions(), same.text());
        BenchReport worse = BenchReport.read(json(dir, "worse.json",
                row("resilient", "partition-1m", 6.0, 1.0, 10, 100.0, 0),     // slower beyond both error bars
                row("arc-legacy", "partition-1m", 3.0, 0.3, 3, 1200.0, 0)));  // recovery 300 s -> 400 s
        BenchReport.Comparison c = worse.compareTo(before);
        assertEquals(2, c.regressions(), c.text());
        assertTrue(c.text().contains("REGRESSED  RecoveryBenchmark.recover {policy=resilient, fault=partition-1m}  runs/s 10.00 -> 6.00 (-40%)"), c.text());
        assertTrue(c.text().contains("recovery 300 s -> 400 s  [recovery]"), c.text());
    }

    private static String herdRow(String policy, int runs, double lastBack, int unrecovered, double peak) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.arcsim.bench.HerdBenchmark.recoverTogether","mode":"thrpt",
                 "params":{"policy":"%s"},"primaryMetric":{"score":0.5,"scoreError":0.1,"scoreUnit":"ops/s"},
                 "secondaryMetrics":{"runs":{"score":%d,"scoreUnit":"#"},"unrecovered":{"score":%d,"scoreUnit":"#"},
                   "lastBackSeconds":{"score":%s,"scoreUnit":"#"},"medianBackSeconds":{"score":%s,"scoreUnit":"#"},
                   "callsDuringOutage":{"score":%d,"scoreUnit":"#"},"peakPerSecond":{"score":%s,"scoreUnit":"#"},
                   "restarts":{"score":%d,"scoreUnit":"#"}}}
                """.formatted(policy, runs, unrecovered, lastBack, lastBack / 2, runs * 4100, peak * runs, runs * 800);
    }

    private static String latencyRow(int parked, double mean, double error, double p50, double p99) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.arcsim.bench.FakeRequestRateBenchmark.latency","mode":"sample",
                 "params":{"parked":"%d"},"primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"us/op",
                   "scorePercentiles":{"50.0":%s,"99.0":%s}},"secondaryMetrics":{}}
                """.formatted(parked, mean, error, p50, p99);
    }

    @Test
    void theHerdAndTheWireFiguresGetTheirOwnTables(@TempDir Path dir) throws Exception {
        BenchReport r = BenchReport.read(json(dir, "a.json",
                herdRow("arc-legacy", 2, 194.0, 0, 400),
                herdRow("full-jitter", 3, 60.0, 1, 12),
                latencyRow(1000, 938.0, 40.7, 818.7, 4603.5)));
        r.write(dir, false);
        String md = Files.readString(dir.resolve("bench.md"));
        assertTrue(md.contains("| arc-legacy | 97.0 s | 48.5 s | 4100 | 400 | 0.0 | 800 | 2 | 0.50 ± 0.10 |"), md);
        assertTrue(md.contains("| full-jitter | 30.0 s, 1 of 3 never |"), md);   // 60 s over the 2 herds that came back
        assertTrue(md.contains("| fake-github round trip, one client, 1,000 long polls parked | 938.00 ± 40.70 | us/op | 819 | 4604 |"), md);
        assertTrue(r.summary().contains("arc-legacy"), r.summary());
    }

    @Test
    void aSampledTimeRegressesWhenItGrowsBeyondTheNoise(@TempDir Path dir) throws Exception {
        BenchReport before = BenchReport.read(json(dir, "before.json", latencyRow(0, 1000, 50, 900, 3000)));
        assertEquals(0, BenchReport.read(json(dir, "faster.json", latencyRow(0, 700, 50, 600, 2000))).compareTo(before).regressions());
        BenchReport.Comparison c = BenchReport.read(json(dir, "slower.json", latencyRow(0, 1400, 50, 1300, 5000))).compareTo(before);
        assertEquals(1, c.regressions(), c.text());
        assertTrue(c.text().contains("REGRESSED  FakeRequestRateBenchmark.latency {parked=0}  us/op 1000.00 -> 1400.00 (+40%)  [us/op]"), c.text());
    }

    @Test
    void aFileThatIsNotJmhJsonIsRefusedByName(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bench.json");
        Files.writeString(bad, "{\"not\": \"a list\"}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchReport.read(bad));
        assertTrue(e.getMessage().startsWith(bad + " is not JMH's JSON"), e.getMessage());
    }
}
