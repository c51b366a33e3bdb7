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

import java.util.concurrent.TimeUnit;

/**
 * Recovery per retry policy and fault, in the simulated world at the service's real timings. The score is simulated
 * runs per second (what a run costs the harness); what a run cost the listener is in the counters, summed over each
 * iteration's runs: recovery seconds (simulated), API calls from the disruption to recovery, 409s on session create,
 * listener restarts, jobs that waited over a minute, jobs lost, runs that never recovered, and runs. Divide by
 * {@code runs} for a mean (the bench report does). Each run has its own seed, so jitter is sampled, not fixed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
public class RecoveryBenchmark {

    @Param({"arc-0.8", "arc-legacy", "arc-current", "resilient", "fixed", "exponential", "full-jitter", "equal-jitter",
            "decorrelated-jitter", "grpc", "retry-budget"})
    public String policy;

    @Param({"sigkill-ttl-30s", "sigkill-ttl-5m", "rule-409-1m", "rule-409-10m", "partition-1m", "partition-5m",
            "5xx-burst", "token-expiry"})
    public String fault;

    private Policies.Policy resolved;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        dev.arcsim.cli.ScenarioCommand.quietLogs();
        resolved = Policies.named(policy);
        Faults.scenario(fault, resolved, 0);   // a bad name fails here, before any measurement
    }

    /** What the runs of one iteration cost the listener, summed. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Costs {
        public long runs;
        public double recoverySeconds;
        public long unrecovered;
        public long apiCalls;
        public long sessionConflicts;
        public long listenerRestarts;
        public long jobsDelayed;
        public long jobsLost;

        @Setup(Level.Iteration)
        public void reset() {
            runs = 0;
            recoverySeconds = 0;
            unrecovered = 0;
            apiCalls = 0;
            sessionConflicts = 0;
            listenerRestarts = 0;
            jobsDelayed = 0;
            jobsLost = 0;
        }

        void add(Trial.Result r) {
            runs++;
            if (r.recoverySeconds() == null) {
                unrecovered++;
            } else {
                recoverySeconds += r.recoverySeconds();
            }
            apiCalls += r.apiCalls();
            sessionConflicts += r.sessionConflicts();
            listenerRestarts += r.listenerRestarts();
            jobsDelayed += r.jobsDelayed();
            jobsLost += r.jobsLost();
        }
    }

    @Benchmark
    public Trial.Result recover(Costs costs) {
        Trial.Result r = Trial.run(Faults.scenario(fault, resolved, ++seed));
        costs.add(r);
        return r;
    }
}
