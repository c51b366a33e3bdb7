package dev.arcsim.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The listener's message handling, in process: 50 jobs queued at once reach the listener as a 50-job message it
 * parses, acquires and acks, then as the assigned jobs it scales for. The score is jobs handled per second (the
 * fake's side of each call included; no HTTP, no Kubernetes). A fresh listener and fake each iteration, so the
 * service's job table stays small.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 5, time = 2)      // the JIT settles after about 8 s
@Measurement(iterations = 10, time = 1)
@OperationsPerInvocation(ListenerThroughputBenchmark.JOBS)
public class ListenerThroughputBenchmark {

    static final int JOBS = 50;

    private ListenerRig rig;
    private long seed;

    @Setup(Level.Iteration)
    public void start() throws InterruptedException {
        dev.arcsim.cli.ScenarioCommand.quietLogs();
        rig = new ListenerRig(++seed);
    }

    @TearDown(Level.Iteration)
    public void stop() {
        rig.close();
    }

    @Benchmark
    public int handleFiftyJobMessage() throws InterruptedException {
        return rig.offerAndWait(JOBS);
    }
}
