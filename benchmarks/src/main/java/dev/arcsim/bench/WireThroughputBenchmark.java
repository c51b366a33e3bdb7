package dev.arcsim.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The listener end to end over loopback HTTP against fake-github on the wall clock: 50 jobs queued at once are
 * long-polled, parsed, acquired, acked and scaled for, as in {@link ListenerThroughputBenchmark} but through real
 * sockets, with ({@code kubernetes=patch}: a JSON merge patch of the EphemeralRunnerSet to the embedded API server
 * per message) or without the Kubernetes side. The score is jobs per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 5, time = 2)      // the JIT settles after about 8 s
@Measurement(iterations = 10, time = 1)
@OperationsPerInvocation(WireThroughputBenchmark.JOBS)
public class WireThroughputBenchmark {

    static final int JOBS = 50;

    @Param({"none", "patch"})
    public String kubernetes;

    private WireRig rig;
    private long seed;

    @Setup(Level.Iteration)
    public void start() throws Exception {
        dev.arcsim.cli.ScenarioCommand.quietLogs();
        if (!kubernetes.equals("none") && !kubernetes.equals("patch")) {
            throw new IllegalArgumentException("kubernetes: none or patch, not \"" + kubernetes + "\"");
        }
        rig = new WireRig(kubernetes.equals("patch"), ++seed);
    }

    @TearDown(Level.Iteration)
    public void stop() throws InterruptedException {
        rig.close();
    }

    @Benchmark
    public int handleFiftyJobMessageOverHttp() throws InterruptedException {
        return rig.offerAndWait(JOBS);
    }
}
