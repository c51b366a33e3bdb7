package dev.arcsim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.check.Invariants;
import dev.arcsim.fake.faults.FaultRule;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.RulesCodec;
import dev.arcsim.listener.policy.PolicyFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scenario file (YAML; JSON is YAML too). Strict: an unknown field, a value of the wrong type or range, an
 * unknown fault kind or action, or a window whose {@code until} is not after its {@code at} fails with the file, the
 * line, the field and what is allowed there. The shape is described by {@code scenario.schema.json} next to this class.
 */
public final class ScenarioFile {

    /** A scenario file that cannot be used. The message reads {@code file:line: field: problem}. */
    public static final class Invalid extends RuntimeException {
        private final String source;
        private final int line;
        private final String field;

        Invalid(String source, int line, String field, String problem) {
            super(source + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
            this.source = source;
            this.line = line;
            this.field = field;
        }

        public String source() {
            return source;
        }

        public int line() {
            return line;
        }

        public String field() {
            return field;
        }
    }

    public static final String SCHEMA_RESOURCE = "/dev/arcsim/scenario/scenario.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final String DURATION_FORMS = "a duration such as 500ms, 20s, 2m or 1h, or a number of seconds";

    private ScenarioFile() {
    }

    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Invalid(file.toString(), 0, "", "no such file");
        } catch (IOException e) {
            throw new Invalid(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Reads a scenario from text; {@code source} names it in errors. */
    public static Scenario parse(String text, String source) {
        LocatedYaml yaml;
        try {
            yaml = LocatedYaml.parse(text);
        } catch (LocatedYaml.SyntaxError e) {
            throw new Invalid(source, e.line, "", e.getMessage());
        }
        try {
            return withWire(yaml.root());
        } catch (InvalidInputException e) {
            throw new Invalid(source, yaml.lineOf(e.field()), e.field(), e.problem());
        }
    }

    /** The top-level fields a {@code wire:} block may change. */
    static final Set<String> WIRE_FIELDS = new LinkedHashSet<>(List.of("duration", "system", "rules", "workload",
            "timeline", "expect"));

    /**
     * The scenario in real timings and, when the file has a {@code wire:} block, the same scenario with the block
     * laid over it: objects merge field by field, while a list, an arrival process and a job-duration distribution
     * are replaced whole (their fields depend on their kind).
     */
    private static Scenario withWire(JsonNode root) {
        if (root.isMissingNode() || root.isNull()) {
            throw new InvalidInputException("", "the file is empty; a scenario needs at least name, workload and expect");
        }
        JsonInput.object(root, "");
        ObjectNode own = ((ObjectNode) root).deepCopy();
        JsonNode block = own.remove("wire");
        Scenario real = scenario(own);
        if (block == null) {
            return real;
        }
        JsonInput.object(block, "wire");
        block.fieldNames().forEachRemaining(f -> {
            if (!WIRE_FIELDS.contains(f)) {
                throw new InvalidInputException("wire." + f, "a wire block changes only " + String.join(", ", WIRE_FIELDS)
                        + "; \"" + f + "\" is the same in both worlds");
            }
        });
        Scenario wire;
        try {
            wire = scenario(overlay(own, (ObjectNode) block, ""));
        } catch (InvalidInputException e) {
            // the file without the block read cleanly, so the block made the mistake: name the field under it (its
            // line is that of the nearest field the block writes)
            String field = "wire." + e.field();
            throw new InvalidInputException(field, e.problem() + " (in the wire variant)");
        }
        return new Scenario(real.name(), real.description(), real.seed(), real.duration(), real.system(), real.rules(),
                real.workload(), real.timeline(), real.expect(), wire);
    }

    private static ObjectNode overlay(ObjectNode base, ObjectNode top, String path) {
        ObjectNode out = base.deepCopy();
        top.fields().forEachRemaining(f -> {
            String field = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            JsonNode under = out.get(f.getKey());
            boolean whole = field.equals("workload.arrivals") || field.equals("workload.jobDuration");
            if (!whole && under instanceof ObjectNode u && f.getValue() instanceof ObjectNode t) {
                out.set(f.getKey(), overlay(u, t, field));
            } else {
                out.set(f.getKey(), f.getValue().deepCopy());
            }
        });
        return out;
    }

    private static Scenario scenario(JsonNode root) {
        JsonInput in = JsonInput.object(root, "");
        String name = in.requiredString("name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new InvalidInputException("name", "must be lower-case letters, digits and dashes, got \"" + name + "\"");
        }
        String description = in.string("description").orElse("");
        long seed = in.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE).orElse(1L);
        Duration duration = duration(in, "duration").orElse(Duration.ofMinutes(2));
        Scenario.Setup setup = setup(in.raw("system").orElse(null));
        ObjectNode rules = in.raw("rules").map(r -> {
            RulesCodec.merge(Rules.defaults(), r, "rules");
            return (ObjectNode) r;
        }).orElse(JSON.createObjectNode());
        Scenario.Workload workload = workload(in.raw("workload").orElseThrow(() ->
                new InvalidInputException("workload", "is required (arrivals and jobDuration)")));
        List<Scenario.Step> timeline = new ArrayList<>();
        in.raw("timeline").ifPresent(t -> {
            if (!t.isArray()) {
                throw new InvalidInputException("timeline", "must be a list of steps");
            }
            for (int i = 0; i < t.size(); i++) {
                timeline.add(step(t.get(i), "timeline[" + i + "]"));
            }
        });
        Scenario.Expectations expect = expectations(in.raw("expect").orElseThrow(() ->
                new InvalidInputException("expect", "is required (at least recoveryWithin)")));
        in.raw("wire");   // read by withWire; named here so an unknown field's message lists it
        in.rejectUnknown();
        return new Scenario(name, description, seed, duration, setup, rules, workload, timeline, expect, null);
    }

    private static Scenario.Setup setup(JsonNode node) {
        if (node == null) {
            return Scenario.Setup.of(0, 5);
        }
        JsonInput in = JsonInput.object(node, "system");
        int min = in.intValue("minRunners", 0, 10_000).orElse(0);
        int max = in.intValue("maxRunners", 0, 10_000).orElse(5);
        if (max < min) {
            throw new InvalidInputException("system.maxRunners", "must be at least minRunners (" + min + "), got " + max);
        }
        String policy = in.string("policy").orElse("resilient");
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        in.raw("policyParameters").ifPresent(p -> {
            JsonInput.object(p, "system.policyParameters");
            p.fields().forEachRemaining(byPolicy -> {
                String field = "system.policyParameters." + byPolicy.getKey();
                JsonInput.object(byPolicy.getValue(), field);
                Map<String, Object> values = new LinkedHashMap<>();
                byPolicy.getValue().fields().forEachRemaining(f -> values.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class)));
                policy(byPolicy.getKey(), values, field);
                parameters.put(byPolicy.getKey(), values);
            });
        });
        policy(policy, Map.of(), "system.policy");
        Duration pass = duration(in, "controllerPass").orElse(Duration.ofMillis(200));
        if (pass.isZero()) {
            throw new InvalidInputException("system.controllerPass", "must be more than zero");
        }
        Duration timeout = duration(in, "requestTimeout").orElse(Duration.ofSeconds(300));
        if (timeout.toSeconds() < 1) {
            throw new InvalidInputException("system.requestTimeout", "must be at least 1s");
        }
        String binary = in.string("listenerBinary").orElse(null);
        if (binary != null && binary.isBlank()) {
            throw new InvalidInputException("system.listenerBinary", "must be the path of a listener program, got an empty string");
        }
        in.rejectUnknown();
        return new Scenario.Setup(min, max, policy, parameters, pass, timeout, binary);
    }

    private static void policy(String name, Map<String, Object> parameters, String field) {
        try {
            PolicyFactory.create(name, parameters);
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }

    private static Scenario.Workload workload(JsonNode node) {
        JsonInput in = JsonInput.object(node, "workload");
        Scenario.Arrivals arrivals = arrivals(in.raw("arrivals").orElseThrow(() ->
                new InvalidInputException("workload.arrivals", "is required")));
        Scenario.JobDuration jobDuration = jobDuration(in.raw("jobDuration").orElseThrow(() ->
                new InvalidInputException("workload.jobDuration", "is required")));
        in.rejectUnknown();
        return new Scenario.Workload(arrivals, jobDuration);
    }

    private static Scenario.Arrivals arrivals(JsonNode node) {
        JsonInput in = JsonInput.object(node, "workload.arrivals");
        String process = in.requiredString("process");
        Scenario.Arrivals arrivals = switch (process) {
            case "constant" -> new Scenario.Arrivals.Constant(in.intValue("jobs", 0, 1_000_000).orElseThrow(() ->
                    required(in, "jobs", "an integer")), requiredDuration(in, "over"));
            case "poisson" -> new Scenario.Arrivals.Poisson(in.doubleValue("perSecond", 0, 10_000).orElseThrow(() ->
                    required(in, "perSecond", "a number")), requiredDuration(in, "over"));
            case "bursts" -> {
                JsonNode list = in.raw("bursts").orElseThrow(() -> required(in, "bursts", "a list"));
                if (!list.isArray()) {
                    throw new InvalidInputException(in.field("bursts"), "must be a list of {at, jobs, over}");
                }
                List<Scenario.Arrivals.Burst> bursts = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    JsonInput b = JsonInput.object(list.get(i), in.field("bursts") + "[" + i + "]");
                    bursts.add(new Scenario.Arrivals.Burst(requiredDuration(b, "at"),
                            b.intValue("jobs", 1, 1_000_000).orElseThrow(() -> required(b, "jobs", "an integer")),
                            duration(b, "over").orElse(Duration.ZERO)));
                    b.rejectUnknown();
                }
                yield new Scenario.Arrivals.Bursts(bursts);
            }
            case "at" -> {
                JsonNode list = in.raw("times").orElseThrow(() -> required(in, "times", "a list of durations"));
                if (!list.isArray()) {
                    throw new InvalidInputException(in.field("times"), "must be a list of durations");
                }
                List<Duration> times = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    times.add(toDuration(list.get(i), in.field("times") + "[" + i + "]"));
                }
                yield new Scenario.Arrivals.At(times);
            }
            default -> throw new InvalidInputException(in.field("process"),
                    "must be one of constant, poisson, bursts, at; got \"" + process + "\"");
        };
        in.rejectUnknown();
        return arrivals;
    }

    private static Scenario.JobDuration jobDuration(JsonNode node) {
        if (!node.isObject()) {
            return new Scenario.JobDuration.Fixed(toDuration(node, "workload.jobDuration"));
        }
        JsonInput in = JsonInput.object(node, "workload.jobDuration");
        String distribution = in.requiredString("distribution");
        Scenario.JobDuration d = switch (distribution) {
            case "fixed" -> new Scenario.JobDuration.Fixed(requiredDuration(in, "value"));
            case "uniform" -> {
                Duration min = requiredDuration(in, "min");
                Duration max = requiredDuration(in, "max");
                if (max.compareTo(min) < 0) {
                    throw new InvalidInputException(in.field("max"), "must not be less than min (" + text(min) + ")");
                }
                yield new Scenario.JobDuration.Uniform(min, max);
            }
            case "lognormal" -> new Scenario.JobDuration.LogNormal(requiredDuration(in, "median"),
                    in.doubleValue("sigma", 0, 5).orElseThrow(() -> required(in, "sigma", "a number")),
                    duration(in, "max").orElse(Duration.ofMinutes(10)));
            default -> throw new InvalidInputException(in.field("distribution"),
                    "must be one of fixed, uniform, lognormal; got \"" + distribution + "\"");
        };
        in.rejectUnknown();
        return d;
    }

    /** The step names a timeline accepts, with the fields each takes besides at. */
    static final Map<String, String> ACTIONS = actions();

    private static Map<String, String> actions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fault", "until, fault");
        m.put("rules", "until, rules");
        m.put("kill-listener", "");
        m.put("delete-listener", "");
        m.put("evict-listener", "");
        m.put("restart-controller", "until");
        m.put("restart-fake-github", "until");
        m.put("kubernetes-fault", "until, status, verbs, resources, probability");
        m.put("runner-pod-failures", "count");
        m.put("rival-listener", "until");
        m.put("update-runner-set", "minRunners, maxRunners, runnerImage");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Scenario.Step step(JsonNode node, String path) {
        JsonInput in = JsonInput.object(node, path);
        String action = in.requiredString("do");
        if (!ACTIONS.containsKey(action)) {
            throw new InvalidInputException(in.field("do"), "unknown action \"" + action + "\"; allowed: "
                    + String.join(", ", ACTIONS.keySet()));
        }
        Duration at = requiredDuration(in, "at");
        Duration until = duration(in, "until").orElse(null);
        if (until != null && until.compareTo(at) <= 0) {
            throw new InvalidInputException(in.field("until"), "must be after at (" + text(at) + "), got " + text(until));
        }
        boolean windowed = ACTIONS.get(action).contains("until");
        if (until != null && !windowed) {
            throw new InvalidInputException(in.field("until"), "\"" + action + "\" is a one-off action and takes no until");
        }
        Scenario.Step step = switch (action) {
            case "fault" -> {
                JsonNode fault = in.raw("fault").orElseThrow(() -> required(in, "fault", "a fake-github fault"));
                if (fault.isObject() && (fault.has("at") || fault.has("until"))) {
                    throw new InvalidInputException(in.field("fault") + "." + (fault.has("at") ? "at" : "until"),
                            "set the window on the step (its at and until), not on the fault");
                }
                if (fault.isObject() && fault.has("id")) {
                    throw new InvalidInputException(in.field("fault") + ".id",
                            "a step's fault is named after its window (w1, w2, ...) in the history; leave out id");
                }
                FaultRule.parseForStep(fault, in.field("fault"), "check");
                // without an end the fault would be added and taken away at the same instant, injecting nothing
                yield new Scenario.Step.Fault(at, requireUntil(in, until, action), (ObjectNode) fault);
            }
            case "rules" -> {
                JsonNode rules = in.raw("rules").orElseThrow(() -> required(in, "rules", "a partial rules object"));
                RulesCodec.merge(Rules.defaults(), rules, in.field("rules"));
                yield new Scenario.Step.Rules(at, until, (ObjectNode) rules);
            }
            case "kill-listener" -> new Scenario.Step.KillListener(at);
            case "delete-listener" -> new Scenario.Step.DeleteListener(at);
            case "evict-listener" -> new Scenario.Step.EvictListener(at);
            case "restart-controller" -> new Scenario.Step.RestartController(at, until);
            case "restart-fake-github" -> new Scenario.Step.RestartFakeGitHub(at, until);
            case "kubernetes-fault" -> new Scenario.Step.KubernetesFault(at, requireUntil(in, until, action),
                    in.intValue("status", 400, 599).orElse(500), upper(names(in, "verbs",
                    Set.of("get", "post", "put", "patch", "delete"))), names(in, "resources", null),
                    in.doubleValue("probability", 0, 1).orElse(1.0));
            case "runner-pod-failures" -> new Scenario.Step.RunnerPodFailures(at,
                    in.intValue("count", 1, 10_000).orElseThrow(() -> required(in, "count", "an integer")));
            case "rival-listener" -> new Scenario.Step.RivalListener(at, requireUntil(in, until, action));
            case "update-runner-set" -> {
                Integer min = in.intValue("minRunners", 0, 10_000).orElse(null);
                Integer max = in.intValue("maxRunners", 0, 10_000).orElse(null);
                String image = in.string("runnerImage").orElse(null);
                if (min == null && max == null && image == null) {
                    throw new InvalidInputException(path, "update-runner-set needs minRunners, maxRunners or runnerImage");
                }
                yield new Scenario.Step.UpdateRunnerSet(at, min, max, image);
            }
            default -> throw new IllegalStateException(action);
        };
        in.rejectUnknown();
        return step;
    }

    private static Duration requireUntil(JsonInput in, Duration until, String action) {
        if (until == null) {
            throw new InvalidInputException(in.field("until"), "is required: \"" + action + "\" is a window");
        }
        return until;
    }

    private static Set<String> names(JsonInput in, String field, Set<String> allowed) {
        Set<String> out = new LinkedHashSet<>();
        in.raw(field).ifPresent(v -> {
            if (!v.isArray()) {
                throw new InvalidInputException(in.field(field), "must be a list of names");
            }
            for (JsonNode n : v) {
                String s = n.asText().toLowerCase(Locale.ROOT);
                if (!n.isTextual() || (allowed != null && !allowed.contains(s))) {
                    throw new InvalidInputException(in.field(field), "must be a list of " + (allowed == null ? "names"
                            : String.join(", ", new java.util.TreeSet<>(allowed))) + ", got " + n);
                }
                out.add(s);
            }
        });
        return out;
    }

    private static Set<String> upper(Set<String> s) {
        Set<String> out = new LinkedHashSet<>();
        s.forEach(v -> out.add(v.toUpperCase(Locale.ROOT)));
        return out;
    }

    private static Scenario.Expectations expectations(JsonNode node) {
        JsonInput in = JsonInput.object(node, "expect");
        Duration within = requiredDuration(in, "recoveryWithin");
        Map<String, Scenario.PolicyOutcome> policies = new LinkedHashMap<>();
        in.raw("policies").ifPresent(p -> {
            JsonInput.object(p, "expect.policies");
            p.fields().forEachRemaining(f -> {
                String field = "expect.policies." + f.getKey();
                policy(f.getKey(), Map.of(), field);
                policies.put(f.getKey(), outcome(f.getValue(), field));
            });
        });
        in.rejectUnknown();
        return new Scenario.Expectations(within, policies);
    }

    private static Scenario.PolicyOutcome outcome(JsonNode node, String path) {
        JsonInput in = JsonInput.object(node, path);
        Set<String> breaks = names(in, "breaks", Set.copyOf(Invariants.NAMES));
        List<dev.arcsim.check.Bound> bounds = new ArrayList<>();
        for (String measure : dev.arcsim.check.Bound.MEASURES) {
            JsonNode range = in.raw(measure).orElse(null);
            if (range == null) {
                continue;
            }
            JsonInput r = JsonInput.object(range, in.field(measure));
            Integer min = r.intValue("min", 0, 1_000_000).orElse(null);
            Integer max = r.intValue("max", 0, 1_000_000).orElse(null);
            if (min != null && max != null && max < min) {
                throw new InvalidInputException(r.field("max"), "must be at least min (" + min + "), got " + max);
            }
            if (min == null && max == null) {
                throw new InvalidInputException(in.field(measure), "needs min, max or both");
            }
            r.rejectUnknown();
            bounds.add(new dev.arcsim.check.Bound(measure, min, max));
        }
        in.rejectUnknown();
        return new Scenario.PolicyOutcome(breaks, bounds);
    }

    private static InvalidInputException required(JsonInput in, String field, String what) {
        return new InvalidInputException(in.field(field), "is required (" + what + ")");
    }

    private static Duration requiredDuration(JsonInput in, String field) {
        return duration(in, field).orElseThrow(() -> required(in, field, DURATION_FORMS));
    }

    private static java.util.Optional<Duration> duration(JsonInput in, String field) {
        return in.raw(field).map(v -> toDuration(v, in.field(field)));
    }

    /** {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h}, or a number of seconds; never negative. */
    static Duration toDuration(JsonNode v, String field) {
        double amount;
        String unit;
        if (v.isNumber()) {
            amount = v.asDouble();
            unit = "s";
        } else if (v.isTextual()) {
            Matcher m = DURATION.matcher(v.asText().trim());
            if (!m.matches()) {
                throw new InvalidInputException(field, "must be " + DURATION_FORMS + ", got \"" + v.asText() + "\"");
            }
            amount = Double.parseDouble(m.group(1));
            unit = m.group(2);
        } else {
            throw new InvalidInputException(field, "must be " + DURATION_FORMS + ", got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (amount < 0) {
            throw new InvalidInputException(field, "must not be negative, got " + (v.isTextual() ? v.asText() : v.toString()));
        }
        double millis = amount * switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * A duration written as in a scenario file, for options that take one; a bad one fails with
     * {@code IllegalArgumentException} naming {@code what}. Zero is refused.
     */
    public static Duration parseDuration(String text, String what) {
        JsonNode v = text.trim().matches("\\d+(\\.\\d+)?") ? JSON.getNodeFactory().numberNode(Double.parseDouble(text.trim()))
                : JSON.getNodeFactory().textNode(text);
        Duration d;
        try {
            d = toDuration(v, what);
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(what + " " + e.problem());
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(what + " must be more than zero, got " + text);
        }
        return d;
    }

    /** A duration as a scenario file writes it. */
    public static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        return ms / 1000 + "s";
    }
}
