package dev.arcsim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The scenarios of ../shared/design/SCENARIOS.md, one YAML file each in {@code fault-scenarios/scenarios/} (shipped
 * in the jar under {@code scenarios/}), with compressed protocol timings so the whole catalogue runs in CI.
 */
public final class Catalogue {

    /** In the catalogue's order: the baseline, the two seed incidents, then the rest. */
    public static final List<String> NAMES = List.of(
            "steady-state",
            "listener-sigkill-orphaned-session",
            "session-validation-rule-change",
            "network-partition",
            "dropped-long-polls",
            "latency-and-slow-bodies",
            "server-errors-beyond-retries",
            "rate-limited",
            "message-queue-token-expiry",
            "lost-ack-redelivery",
            "job-reassignment",
            "scale-set-deleted-server-side",
            "graceful-shutdown",
            "controller-restart",
            "runner-pod-failures",
            "two-listeners-one-scale-set",
            "burst-load",
            "kubernetes-api-faults",
            "spec-update-with-warm-runners");

    /**
     * A scenario with where it came from.
     *
     * @param source how a command line names it: the catalogue name, or the file's path
     * @param text   the file's text
     */
    public record Entry(Scenario scenario, String source, String text) {
        public String name() {
            return scenario.name();
        }
    }

    private Catalogue() {
    }

    /** A catalogue scenario by name. */
    public static Entry load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no scenario named \"" + name + "\"; the catalogue has: " + String.join(", ", NAMES)
                    + " (or give a scenario file's path)");
        }
        String resource = "/scenarios/" + name + ".yaml";
        try (InputStream in = Catalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the catalogue file " + resource + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Entry(ScenarioFile.parse(text, "scenarios/" + name + ".yaml"), name, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Entry> all() {
        return NAMES.stream().map(Catalogue::load).toList();
    }

    /** A scenario file when {@code nameOrFile} is a path to one, else the catalogue scenario of that name. */
    public static Entry resolve(String nameOrFile) {
        Path file = Path.of(nameOrFile);
        boolean looksLikeFile = nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml") || nameOrFile.endsWith(".json")
                || nameOrFile.contains("/");
        if (Files.isRegularFile(file) || looksLikeFile) {
            Scenario s = ScenarioFile.read(file);
            try {
                return new Entry(s, nameOrFile, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return load(nameOrFile);
    }

    /** What {@code arcsim demo} plays: a workload on a runner set (min 0), with no disruption. */
    public static Scenario demo(String policy, long seed, int jobs, Duration over, int maxRunners) {
        return Scenario.builder("demo").description(jobs + " jobs over " + over.toSeconds() + " s, no faults").seed(seed)
                .duration(over.plusMinutes(2))
                .system(new Scenario.Setup(0, maxRunners, policy, java.util.Map.of(), Duration.ofMillis(200), Duration.ofSeconds(300)))
                .workload(new Scenario.Arrivals.Constant(jobs, over),
                        new Scenario.JobDuration.Uniform(Duration.ofSeconds(2), Duration.ofSeconds(6)))
                .recoveryWithin(Duration.ofSeconds(60))
                .build();
    }
}
