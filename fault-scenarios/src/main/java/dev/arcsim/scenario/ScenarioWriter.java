package dev.arcsim.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;

/**
 * Writes a scenario as a file {@link ScenarioFile} reads back to the same value: what the search hands a user as a
 * ready-to-run failure. Fields at their defaults are left out; the wire variant is not written (a found scenario runs
 * in the simulated world).
 */
public final class ScenarioWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ScenarioWriter() {
    }

    /** A duration in the largest unit that writes it whole: 45m rather than 2700s. */
    static String text(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ScenarioFile.text(d);
    }

    /** The file's text; {@code comment} (may be null) heads it, one {@code #} line per line. */
    public static String write(Scenario s, String comment) {
        StringBuilder out = new StringBuilder();
        if (comment != null) {
            comment.lines().forEach(l -> out.append("# ").append(l).append('\n'));
        }
        try {
            return out.append(YAML.writeValueAsString(tree(s))).toString();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(Scenario s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", s.name());
        if (!s.description().isEmpty()) {
            root.put("description", s.description());
        }
        root.put("seed", s.seed());
        root.put("duration", text(s.duration()));
        root.set("system", system(s.system()));
        if (!s.rules().isEmpty()) {
            root.set("rules", s.rules().deepCopy());
        }
        root.set("workload", workload(s.workload()));
        if (!s.timeline().isEmpty()) {
            ArrayNode steps = root.putArray("timeline");
            s.timeline().forEach(step -> steps.add(step(step)));
        }
        root.set("expect", expect(s.expect()));
        return root;
    }

    private static ObjectNode system(Scenario.Setup setup) {
        ObjectNode n = JSON.createObjectNode();
        n.put("minRunners", setup.minRunners());
        n.put("maxRunners", setup.maxRunners());
        n.put("policy", setup.policy());
        if (!setup.policyParameters().isEmpty()) {
            n.set("policyParameters", JSON.valueToTree(new java.util.TreeMap<>(setup.policyParameters())));
        }
        n.put("controllerPass", text(setup.controllerPass()));
        n.put("requestTimeout", text(setup.requestTimeout()));
        if (setup.listenerBinary() != null) {
            n.put("listenerBinary", setup.listenerBinary());
        }
        return n;
    }

    private static ObjectNode workload(Scenario.Workload w) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode a = n.putObject("arrivals");
        switch (w.arrivals()) {
            case Scenario.Arrivals.Constant c -> a.put("process", "constant").put("jobs", c.jobs()).put("over", text(c.over()));
            case Scenario.Arrivals.Poisson p -> a.put("process", "poisson").put("perSecond", p.perSecond()).put("over", text(p.over()));
            case Scenario.Arrivals.Bursts b -> {
                a.put("process", "bursts");
                ArrayNode list = a.putArray("bursts");
                b.bursts().forEach(x -> list.addObject().put("at", text(x.at())).put("jobs", x.jobs())
                        .put("over", text(x.over())));
            }
            case Scenario.Arrivals.At at -> {
                a.put("process", "at");
                ArrayNode list = a.putArray("times");
                at.times().forEach(t -> list.add(text(t)));
            }
        }
        ObjectNode d = n.putObject("jobDuration");
        switch (w.jobDuration()) {
            case Scenario.JobDuration.Fixed f -> d.put("distribution", "fixed").put("value", text(f.value()));
            case Scenario.JobDuration.Uniform u -> d.put("distribution", "uniform").put("min", text(u.min()))
                    .put("max", text(u.max()));
            case Scenario.JobDuration.LogNormal l -> d.put("distribution", "lognormal").put("median", text(l.median()))
                    .put("sigma", l.sigma()).put("max", text(l.max()));
        }
        return n;
    }

    private static ObjectNode step(Scenario.Step step) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", text(step.at()));
        if (step.until() != null) {
            n.put("until", text(step.until()));
        }
        n.put("do", step.action());
        switch (step) {
            case Scenario.Step.Fault f -> n.set("fault", f.fault().deepCopy());
            case Scenario.Step.Rules r -> n.set("rules", r.rules().deepCopy());
            case Scenario.Step.KubernetesFault k -> {
                n.put("status", k.status());
                if (!k.verbs().isEmpty()) {
                    ArrayNode v = n.putArray("verbs");
                    k.verbs().stream().sorted().forEach(x -> v.add(x.toLowerCase(java.util.Locale.ROOT)));
                }
                if (!k.resources().isEmpty()) {
                    ArrayNode r = n.putArray("resources");
                    k.resources().stream().sorted().forEach(r::add);
                }
                n.put("probability", k.probability());
            }
            case Scenario.Step.RunnerPodFailures r -> n.put("count", r.count());
            case Scenario.Step.UpdateRunnerSet u -> {
                if (u.minRunners() != null) {
                    n.put("minRunners", u.minRunners());
                }
                if (u.maxRunners() != null) {
                    n.put("maxRunners", u.maxRunners());
                }
                if (u.runnerImage() != null) {
                    n.put("runnerImage", u.runnerImage());
                }
            }
            default -> {
            }
        }
        return n;
    }

    private static ObjectNode expect(Scenario.Expectations e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("recoveryWithin", text(e.recoveryWithin()));
        if (!e.policies().isEmpty()) {
            ObjectNode policies = n.putObject("policies");
            new java.util.TreeMap<>(e.policies()).forEach((policy, outcome) -> {
                ObjectNode o = policies.putObject(policy);
                if (!outcome.breaks().isEmpty()) {
                    ArrayNode b = o.putArray("breaks");
                    outcome.breaks().stream().sorted().forEach(b::add);
                }
                for (dev.arcsim.check.Bound bound : outcome.bounds()) {
                    ObjectNode range = o.putObject(bound.measure());
                    if (bound.min() != null) {
                        range.put("min", bound.min());
                    }
                    if (bound.max() != null) {
                        range.put("max", bound.max());
                    }
                }
            });
        }
        return n;
    }
}
