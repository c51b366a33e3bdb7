package dev.arcsim.scenario;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A scenario: the system under test, the server's rules at start, a workload, a timeline of disruptions and what
 * must hold. {@link ScenarioFile} reads it from YAML; {@link #builder(String)} builds the same value in Java.
 *
 * @param duration the longest a run may take from the first job on; the run ends sooner when the workload is done
 *                 and the timeline has played out
 * @param rules    fake-github's rules at start, as a partial rules object (fake-github's names)
 * @param wire     the same scenario with the timings a wall-clock run uses (a file's {@code wire:} block applied), or
 *                 null when it runs as it is in both worlds; see {@link #forWorld}
 */
public record Scenario(String name, String description, long seed, Duration duration, Setup system, ObjectNode rules,
                       Workload workload, List<Step> timeline, Expectations expect, Scenario wire) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        rules = rules == null ? JsonNodeFactory.instance.objectNode() : rules.deepCopy();
        timeline = List.copyOf(timeline);
    }

    /**
     * What runs: one runner scale set and the listener's policy.
     *
     * @param policy           the policy a run uses when none is given on the command line
     * @param policyParameters the listener's {@code arcsim_policy_parameters}, per policy (only resilient takes any)
     * @param controllerPass   how often the controller reconciles
     * @param requestTimeout   the listener's per-request timeout, long polls included
     *                         ({@code arcsim_request_timeout_seconds})
     */
    /**
     * @param listenerBinary a listener program (ARC's) the listener pods run instead of the reference listener, whose
     *                       {@code policy} then judges it; null for the reference listener
     */
    public record Setup(int minRunners, int maxRunners, String policy, Map<String, Map<String, Object>> policyParameters,
                         Duration controllerPass, Duration requestTimeout, String listenerBinary) {
        public Setup {
            policyParameters = Map.copyOf(policyParameters);
        }

        public Setup(int minRunners, int maxRunners, String policy, Map<String, Map<String, Object>> policyParameters,
                     Duration controllerPass, Duration requestTimeout) {
            this(minRunners, maxRunners, policy, policyParameters, controllerPass, requestTimeout, null);
        }

        /** The parameters of the policy a run uses. */
        public Map<String, Object> parameters() {
            return policyParameters.getOrDefault(policy, Map.of());
        }

        public static Setup of(int minRunners, int maxRunners) {
            return new Setup(minRunners, maxRunners, "resilient", Map.of(), Duration.ofMillis(200), Duration.ofSeconds(300));
        }
    }

    /** When jobs arrive (from the moment the listener first holds a session) and how long each runs. */
    public record Workload(Arrivals arrivals, JobDuration jobDuration) {
    }

    /** The arrival process. Times are offsets from the start of the workload. */
    public sealed interface Arrivals {

        /** {@code jobs} jobs spread evenly over {@code over}. */
        record Constant(int jobs, Duration over) implements Arrivals {
        }

        /** A Poisson process of {@code perSecond} jobs a second for {@code over}. */
        record Poisson(double perSecond, Duration over) implements Arrivals {
        }

        /** Bursts: {@code jobs} jobs at once (spread over {@code over}, which may be zero) at each {@code at}. */
        record Bursts(List<Burst> bursts) implements Arrivals {
            public Bursts {
                bursts = List.copyOf(bursts);
            }
        }

        record Burst(Duration at, int jobs, Duration over) {
        }

        /** One job at each listed time. */
        record At(List<Duration> times) implements Arrivals {
            public At {
                times = List.copyOf(times);
            }
        }
    }

    /** How long a job runs once a runner has it. */
    public sealed interface JobDuration {

        record Fixed(Duration value) implements JobDuration {
        }

        /** Uniform between the bounds, to the second. */
        record Uniform(Duration min, Duration max) implements JobDuration {
        }

        /** Lognormal with the given median and sigma, cut at {@code max}. */
        record LogNormal(Duration median, double sigma, Duration max) implements JobDuration {
        }
    }

    /**
     * One thing the timeline does, {@code at} after the workload starts. Steps with an {@code until} are windows:
     * what they change is undone at {@code until}, and recovery is measured from there.
     */
    public sealed interface Step {
        Duration at();

        /** The end of the window, or null for a one-off action. */
        default Duration until() {
            return null;
        }

        /** The name a timeline file gives this step ({@code do:}). */
        String action();

        /** A fake-github fault (any kind, fake-github's flat fault format without at/until) for the window. */
        record Fault(Duration at, Duration until, ObjectNode fault) implements Step {
            public Fault {
                fault = fault.deepCopy();
            }

            public String action() {
                return "fault";
            }
        }

        /** A rule change (fake-github's names, partial); with {@code until}, the changed rules are put back then. */
        record Rules(Duration at, Duration until, ObjectNode rules) implements Step {
            public Rules {
                rules = rules.deepCopy();
            }

            public String action() {
                return "rules";
            }
        }

        /** SIGKILL the listener pod: no cleanup, its session stays on the server. */
        record KillListener(Duration at) implements Step {
            public String action() {
                return "kill-listener";
            }
        }

        /** Delete the listener pod gracefully (SIGTERM: the listener deletes its session); the controller makes a new one. */
        record DeleteListener(Duration at) implements Step {
            public String action() {
                return "delete-listener";
            }
        }

        /** Evict the listener pod (node pressure): a graceful stop the pod does not choose, then a new pod. */
        record EvictListener(Duration at) implements Step {
            public String action() {
                return "evict-listener";
            }
        }

        /** Stop the controller; start a fresh one at {@code until} (or at once when there is none). */
        record RestartController(Duration at, Duration until) implements Step {
            public String action() {
                return "restart-controller";
            }
        }

        /**
         * Restart fake-github: every session and message-queue token is lost; until {@code until} (when given) every
         * request fails with a connection reset, as against a service that is down.
         */
        record RestartFakeGitHub(Duration at, Duration until) implements Step {
            public String action() {
                return "restart-fake-github";
            }
        }

        /**
         * The Kubernetes API answers {@code status} to matching requests for the window.
         *
         * @param verbs     HTTP methods hit (POST, PATCH, PUT, DELETE, GET), empty for all writes
         * @param resources resource plurals hit (ephemeralrunnersets, pods, ...), empty for all
         */
        record KubernetesFault(Duration at, Duration until, int status, Set<String> verbs, Set<String> resources,
                               double probability) implements Step {
            public KubernetesFault {
                verbs = Set.copyOf(verbs);
                resources = Set.copyOf(resources);
            }

            public String action() {
                return "kubernetes-fault";
            }
        }

        /** The next {@code count} runner pods fail before their runner registers. */
        record RunnerPodFailures(Duration at, int count) implements Step {
            public String action() {
                return "runner-pod-failures";
            }
        }

        /** A second listener, from another cluster, claims the same scale set for the window. */
        record RivalListener(Duration at, Duration until) implements Step {
            public String action() {
                return "rival-listener";
            }
        }

        /** Edit the runner set: new bounds and/or a new runner image (a spec change rolls the listener). */
        record UpdateRunnerSet(Duration at, Integer minRunners, Integer maxRunners, String runnerImage) implements Step {
            public String action() {
                return "update-runner-set";
            }
        }
    }

    /**
     * What must hold. Every invariant of the catalogue is checked; {@code policies} states, per policy, which of
     * them the policy is known to break here (ARC's failures) and bounds on listener restarts. A policy not named
     * must hold every invariant.
     *
     * @param recoveryWithin the bound of bounded-recovery, per disruption
     */
    public record Expectations(Duration recoveryWithin, Map<String, PolicyOutcome> policies) {
        public Expectations {
            policies = Map.copyOf(policies);
        }

        public PolicyOutcome outcome(String policy) {
            return policies.getOrDefault(policy, PolicyOutcome.HOLDS);
        }
    }

    /**
     * @param breaks the invariants this policy breaks here; exactly these must fail
     * @param bounds expected ranges of the run's counts (listener restarts, session conflicts)
     */
    public record PolicyOutcome(Set<String> breaks, List<dev.arcsim.check.Bound> bounds) {
        public static final PolicyOutcome HOLDS = new PolicyOutcome(Set.of(), List.of());

        public PolicyOutcome {
            breaks = Set.copyOf(breaks);
            bounds = List.copyOf(bounds);
        }
    }

    /**
     * The scenario as a world plays it. A scenario is written in the service's real timings (50 s long polls, an
     * orphaned session kept for minutes, hour-long tokens), which the simulated world runs as they are; a wall-clock
     * run cannot wait that long, so a file may say in its {@code wire:} block how to compress them for {@code wire}.
     */
    public Scenario forWorld(String world) {
        return "wire".equals(world) && wire != null ? wire : this;
    }

    /** The policy a run uses: the command line's, or the scenario's own. */
    public Scenario withPolicy(String policy) {
        if (policy == null) {
            return this;
        }
        return new Scenario(name, description, seed, duration, new Setup(system.minRunners(), system.maxRunners(),
                policy, system.policyParameters(), system.controllerPass(), system.requestTimeout(),
                system.listenerBinary()), rules, workload, timeline, expect, wire == null ? null : wire.withPolicy(policy));
    }

    /** The listener pods run {@code binary} (a path), judged by the policy's model; null leaves the scenario's own. */
    public Scenario withListenerBinary(String binary) {
        if (binary == null) {
            return this;
        }
        return new Scenario(name, description, seed, duration, new Setup(system.minRunners(), system.maxRunners(),
                system.policy(), system.policyParameters(), system.controllerPass(), system.requestTimeout(), binary),
                rules, workload, timeline, expect, wire == null ? null : wire.withListenerBinary(binary));
    }

    public Scenario withSeed(long s) {
        return new Scenario(name, description, s, duration, system, rules, workload, timeline, expect,
                wire == null ? null : wire.withSeed(s));
    }

    /**
     * The scenario run for {@code d} instead: arrivals that last a time ({@code constant}, {@code poisson}) go on at
     * the same rate for the same share of the run; bursts, listed times and the timeline stay where they are.
     */
    public Scenario withDuration(Duration d) {
        double k = (double) d.toMillis() / Math.max(1, duration.toMillis());
        Arrivals stretched = switch (workload.arrivals()) {
            case Arrivals.Constant c -> new Arrivals.Constant((int) Math.round(c.jobs() * k), scale(c.over(), k));
            case Arrivals.Poisson p -> new Arrivals.Poisson(p.perSecond(), scale(p.over(), k));
            case Arrivals other -> other;
        };
        return new Scenario(name, description, seed, d, system, rules, new Workload(stretched, workload.jobDuration()),
                timeline, expect, wire == null ? null : wire.withDuration(d));
    }

    private static Duration scale(Duration d, double k) {
        return Duration.ofMillis(Math.round(d.toMillis() * k));
    }

    public String policy() {
        return system.policy();
    }

    public PolicyOutcome expected() {
        return expect.outcome(system.policy());
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a scenario in Java with the defaults a scenario file has. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private long seed = 1;
        private Duration duration = Duration.ofMinutes(2);
        private Setup system = Setup.of(0, 5);
        private ObjectNode rules = JsonNodeFactory.instance.objectNode();
        private Workload workload = new Workload(new Arrivals.Constant(0, Duration.ZERO),
                new JobDuration.Fixed(Duration.ofSeconds(2)));
        private final List<Step> timeline = new ArrayList<>();
        private Duration recoveryWithin = Duration.ofSeconds(30);
        private final Map<String, PolicyOutcome> policies = new LinkedHashMap<>();
        private Scenario wire;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String d) {
            description = d;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder duration(Duration d) {
            duration = d;
            return this;
        }

        public Builder system(Setup s) {
            system = s;
            return this;
        }

        /** One of fake-github's rules at start, by its name (as a scenario file writes it). */
        public Builder rule(String field, Object value) {
            rules.set(field, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value));
            return this;
        }

        public Builder workload(Arrivals arrivals, JobDuration duration) {
            workload = new Workload(arrivals, duration);
            return this;
        }

        public Builder step(Step step) {
            timeline.add(step);
            return this;
        }

        public Builder recoveryWithin(Duration d) {
            recoveryWithin = d;
            return this;
        }

        public Builder expect(String policy, PolicyOutcome outcome) {
            policies.put(policy, outcome);
            return this;
        }

        /** The variant a wall-clock run plays (see {@link Scenario#forWorld}). */
        public Builder wire(Scenario w) {
            wire = w;
            return this;
        }

        public Scenario build() {
            return new Scenario(name, description, seed, duration, system, rules, workload, timeline,
                    new Expectations(recoveryWithin, policies), wire);
        }
    }
}
