package dev.arcsim.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The thundering herd, per retry policy: {@value #LISTENERS} listeners (one scale set each) against one service,
 * every connection reset for {@value #OUTAGE_MINUTES} minutes, then back. The score is simulated herds per second;
 * the counters, summed over an iteration's runs, are what the policies differ in: how long until the last and the
 * median listener polled again, the requests spent while the service was away, the busiest second after it came
 * back, 409s on session create, and listener restarts (ARC's listener exits and its pod is restarted).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 3)
public class HerdBenchmark {

    static final int LISTENERS = 100;
    static final int OUTAGE_MINUTES = 5;

    @Param({"arc-0.8", "arc-legacy", "arc-current", "resilient", "fixed", "exponential", "full-jitter", "equal-jitter",
            "decorrelated-jitter", "grpc", "retry-budget"})
    public String policy;

    private Policies.Policy resolved;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        dev.arcsim.cli.ScenarioCommand.quietLogs();
        resolved = Policies.named(policy);
    }

    /** What the herds of one iteration did, summed; the bench report divides by {@code runs}. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Herd {
        public long runs;
        public long unrecovered;
        public double lastBackSeconds;
        public double medianBackSeconds;
        public long callsDuringOutage;
        public long peakPerSecond;
        public long sessionConflicts;
        public long restarts;

        @Setup(Level.Iteration)
        public void reset() {
            runs = 0;
            unrecovered = 0;
            lastBackSeconds = 0;
            medianBackSeconds = 0;
            callsDuringOutage = 0;
            peakPerSecond = 0;
            sessionConflicts = 0;
            restarts = 0;
        }

        void add(HerdRig.Outcome o) {
            runs++;
            if (o.lastBackSeconds() == null) {
                unrecovered++;
            } else {
                lastBackSeconds += o.lastBackSeconds();
            }
            medianBackSeconds += o.medianBackSeconds();
            callsDuringOutage += o.callsDuringOutage();
            peakPerSecond += o.peakPerSecond();
            sessionConflicts += o.sessionConflicts();
            restarts += o.restarts();
        }
    }

    @Benchmark
    public HerdRig.Outcome recoverTogether(Herd herd) throws InterruptedException {
        HerdRig.Outcome o = HerdRig.run(resolved, LISTENERS, Duration.ofMinutes(OUTAGE_MINUTES), ++seed);
        herd.add(o);
        return o;
    }
}
