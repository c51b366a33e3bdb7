package dev.arcsim.bench;

import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How fast the simulated world runs: the catalogue's steady-state (one scale set, 20 jobs a minute, lognormal job
 * durations, the service's 50 s long poll), whole runs per second. Speed-up over real time = simulated seconds per
 * run × runs per second; the bench report prints it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
public class SimSpeedBenchmark {

    private Scenario steadyState;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        dev.arcsim.cli.ScenarioCommand.quietLogs();
        steadyState = Catalogue.load("steady-state").scenario();
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class World {
        public long runs;
        public double simulatedSeconds;

        @Setup(Level.Iteration)
        public void reset() {
            runs = 0;
            simulatedSeconds = 0;
        }
    }

    @Benchmark
    public Trial.Result steadyState(World world) {
        Trial.Result r = Trial.run(steadyState.withSeed(steadyState.seed() + ++seed));
        world.runs++;
        world.simulatedSeconds += r.simulatedSeconds();
        return r;
    }
}
