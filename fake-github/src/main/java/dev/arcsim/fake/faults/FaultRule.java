package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.Endpoint;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A fault in force: which requests it hits and what it does to them. Written flat in JSON and YAML, e.g.
 * {@code {"kind":"status","status":503,"retryAfterSeconds":2,"endpoint":"get-message","probability":0.5,"count":3}}.
 */
public record FaultRule(String id, FaultMatch match, Fault fault) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");

    /** Reads one fault; {@code path} names it in errors (e.g. {@code faults[2]}). */
    public static FaultRule parse(JsonNode node, String path, String id) {
        return parse(node, path, id, true);
    }

    /**
     * A fault of a scenario's timeline step: the step gives its window and its name, so {@code at}, {@code until} and
     * {@code id} are not fields of it (a mistake names the fields it does take).
     */
    public static FaultRule parseForStep(JsonNode node, String path, String window) {
        return parse(node, path, window, false);
    }

    private static FaultRule parse(JsonNode node, String path, String id, boolean ownWindow) {
        JsonInput in = JsonInput.object(node, path);
        String kind = in.requiredString("kind");
        Function<JsonInput, Fault> parser = FaultKinds.parser(kind);
        if (parser == null) {
            throw new InvalidInputException(in.field("kind"), "unknown fault kind \"" + kind + "\"; allowed: " + FaultKinds.allowed());
        }
        Fault fault = parser.apply(in);
        FaultMatch match = new FaultMatch(endpoints(in), method(in), pattern(in),
                in.doubleValue("probability", 0.0, 1.0).orElse(1.0),
                ownWindow ? in.longValue("at", 0, Long.MAX_VALUE / 2).orElse(null) : null,
                ownWindow ? in.longValue("until", 0, Long.MAX_VALUE / 2).orElse(null) : null,
                in.intValue("count", 1, Integer.MAX_VALUE).orElse(null));
        if (match.atSecond() != null && match.untilSecond() != null && match.untilSecond() <= match.atSecond()) {
            throw new InvalidInputException(in.field("until"),
                    "must be after at (" + match.atSecond() + "), got " + match.untilSecond());
        }
        if (ownWindow) {
            in.allow("id");
        }
        in.rejectUnknown();
        return new FaultRule(id, match, fault);
    }

    private static Set<Endpoint> endpoints(JsonInput in) {
        Set<Endpoint> endpoints = EnumSet.noneOf(Endpoint.class);
        in.raw("endpoint").ifPresent(v -> {
            if (v.isTextual()) {
                endpoints.add(endpoint(in, v.asText()));
            } else if (v.isArray()) {
                v.forEach(e -> endpoints.add(endpoint(in, e.asText())));
            } else {
                throw new InvalidInputException(in.field("endpoint"), "must be an endpoint name or a list of them");
            }
        });
        return endpoints;
    }

    private static Endpoint endpoint(JsonInput in, String name) {
        return Endpoint.fromWireName(name).filter(e -> e != Endpoint.UNKNOWN).orElseThrow(() -> new InvalidInputException(
                in.field("endpoint"), "unknown endpoint \"" + name + "\"; allowed: " + Endpoint.allowed()));
    }

    private static String method(JsonInput in) {
        return in.string("method").map(m -> {
            String upper = m.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                throw new InvalidInputException(in.field("method"), "must be one of " + METHODS + ", got \"" + m + "\"");
            }
            return upper;
        }).orElse(null);
    }

    private static Pattern pattern(JsonInput in) {
        return in.string("path").map(p -> {
            try {
                return Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new InvalidInputException(in.field("path"), "is not a valid regular expression: " + e.getDescription());
            }
        }).orElse(null);
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode().put("id", id).put("kind", fault.kind());
        fault.describeInto(node);
        match.describeInto(node);
        return node;
    }
}
