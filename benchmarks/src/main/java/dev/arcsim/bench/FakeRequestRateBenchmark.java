package dev.arcsim.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * fake-github's request rate and the latency it adds over loopback HTTP, with 1,000 idle scale sets and sessions, of
 * which none or {@code parked} hold a long poll open (1,000: a large fleet's idle load). The request is a listener's
 * plain one, a scale set read by id with the admin token. {@code rate}: requests per second from two client threads;
 * {@code latency}: one client's round trip, sampled (JMH reports the percentiles).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 5, time = 2)      // the JIT settles after about 8 s
@Measurement(iterations = 10, time = 1)
public class FakeRequestRateBenchmark {

    /** Idle scale sets with a session, whether or not their polls are parked: the same fake state either way. */
    static final int SESSIONS = 1000;

    @Param({"0", "1000"})
    public int parked;

    private ParkedPolls fake;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dev.arcsim.cli.ScenarioCommand.quietLogs();
        fake = new ParkedPolls(SESSIONS, parked, 1);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        fake.close();
    }

    private JsonNode read() throws Exception {
        return fake.client().getScaleSetById(fake.scaleSetId())
                .orElseThrow(() -> new IllegalStateException("the measured scale set is gone"));
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public JsonNode rate() throws Exception {
        return read();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public JsonNode latency() throws Exception {
        return read();
    }
}
