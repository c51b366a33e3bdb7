package dev.arcsim.fake.input;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict reader of one JSON object: every field read is checked for type and range, and {@link #rejectUnknown()}
 * refuses any field nobody read, so a typo fails loudly instead of being ignored. Errors name the field by its path.
 */
public final class JsonInput {

    private final JsonNode node;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();

    private JsonInput(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonInput object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path, "must be a JSON object, got " + describe(node));
        }
        return new JsonInput(node, path);
    }

    public String path() {
        return path;
    }

    public String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public boolean has(String name) {
        return node.has(name) && !node.get(name).isNull();
    }

    public Optional<String> string(String name) {
        return value(name, v -> v.isTextual() ? v.asText() : null, "a string");
    }

    public String requiredString(String name) {
        return string(name).orElseThrow(() -> new InvalidInputException(field(name), "is required (a string)"));
    }

    public Optional<Long> longValue(String name, long min, long max) {
        Optional<Long> v = value(name, n -> n.canConvertToLong() && n.isIntegralNumber() ? n.asLong() : null, "an integer");
        v.ifPresent(x -> {
            if (x < min || x > max) {
                throw new InvalidInputException(field(name), "must be between " + min + " and " + max + ", got " + x);
            }
        });
        return v;
    }

    public Optional<Integer> intValue(String name, int min, int max) {
        return longValue(name, min, max).map(Long::intValue);
    }

    public Optional<Double> doubleValue(String name, double min, double max) {
        Optional<Double> v = value(name, n -> n.isNumber() ? n.asDouble() : null, "a number");
        v.ifPresent(x -> {
            if (x < min || x > max || Double.isNaN(x)) {
                throw new InvalidInputException(field(name), "must be between " + min + " and " + max + ", got " + x);
            }
        });
        return v;
    }

    public Optional<Boolean> bool(String name) {
        return value(name, n -> n.isBoolean() ? n.asBoolean() : null, "true or false");
    }

    /** A string field that must name one of a closed set of values. */
    public <T> Optional<T> choice(String name, Function<String, Optional<T>> lookup, String allowed) {
        return string(name).map(s -> lookup.apply(s).orElseThrow(() ->
                new InvalidInputException(field(name), "must be one of " + allowed + ", got \"" + s + "\"")));
    }

    public Optional<JsonNode> raw(String name) {
        read.add(name);
        return has(name) ? Optional.of(node.get(name)) : Optional.empty();
    }

    /** Marks fields as read without reading them (the caller handles them elsewhere). */
    public JsonInput allow(String... names) {
        read.addAll(Set.of(names));
        return this;
    }

    /** Fails on the first field that no reader asked for. */
    public void rejectUnknown() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!read.contains(name)) {
                throw new InvalidInputException(field(name), "unknown field; allowed here: " + String.join(", ", read));
            }
        }
    }

    private <T> Optional<T> value(String name, Function<JsonNode, T> convert, String expected) {
        read.add(name);
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        T converted = convert.apply(v);
        if (converted == null) {
            throw new InvalidInputException(field(name), "must be " + expected + ", got " + describe(v));
        }
        return Optional.of(converted);
    }

    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String text = v.toString();
        return v.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
