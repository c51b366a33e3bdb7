package dev.arcsim.fake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.fake.auth.Jwt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/** Compares a JSON document with a golden one from {@code src/test/resources/golden} (see the README there). */
public final class Golden {

    private Golden() {
    }

    public static JsonNode load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden document " + name);
            }
            return TestClient.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with every difference, each with its JSON path. */
    public static void assertMatches(String goldenName, JsonNode actual) {
        List<String> problems = new ArrayList<>();
        compare(load(goldenName), actual, "$", problems);
        if (!problems.isEmpty()) {
            throw new AssertionError("does not match golden/" + goldenName + ":\n  " + String.join("\n  ", problems)
                    + "\nactual: " + actual);
        }
    }

    static void compare(JsonNode golden, JsonNode actual, String path, List<String> problems) {
        if (actual == null || actual.isMissingNode()) {
            problems.add(path + ": missing");
            return;
        }
        if (golden.isTextual() && golden.asText().matches("<[a-z0-9-]+>")) {
            String problem = checkPlaceholder(golden.asText(), actual);
            if (problem != null) {
                problems.add(path + ": " + problem + ", got " + actual);
            }
            return;
        }
        if (golden.isObject()) {
            if (!actual.isObject()) {
                problems.add(path + ": expected an object, got " + actual.getNodeType());
                return;
            }
            TreeSet<String> expected = names(golden);
            TreeSet<String> got = names(actual);
            if (!expected.equals(got)) {
                TreeSet<String> extra = new TreeSet<>(got);
                extra.removeAll(expected);
                TreeSet<String> missing = new TreeSet<>(expected);
                missing.removeAll(got);
                problems.add(path + ": fields differ; missing " + missing + ", unexpected " + extra);
            }
            for (String name : expected) {
                if (actual.has(name)) {
                    compare(golden.get(name), actual.get(name), path + "." + name, problems);
                }
            }
            return;
        }
        if (golden.isArray()) {
            if (!actual.isArray() || actual.size() != golden.size()) {
                problems.add(path + ": expected an array of " + golden.size() + ", got " + actual);
                return;
            }
            for (int i = 0; i < golden.size(); i++) {
                compare(golden.get(i), actual.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (!golden.equals(actual)) {
            problems.add(path + ": expected " + golden + ", got " + actual);
        }
    }

    private static String checkPlaceholder(String placeholder, JsonNode v) {
        return switch (placeholder) {
            case "<int>" -> v.isIntegralNumber() ? null : "expected an integer";
            case "<non-empty>" -> v.isTextual() && !v.asText().isEmpty() ? null : "expected a non-empty string";
            case "<uuid>" -> v.isTextual() && isUuid(v.asText()) ? null : "expected a UUID";
            case "<time>" -> v.isTextual() && isRfc3339(v.asText()) ? null : "expected an RFC 3339 time with a zone";
            case "<url>" -> v.isTextual() && isUrl(v.asText()) ? null : "expected an absolute http(s) URL";
            case "<jwt>" -> v.isTextual() && Jwt.readClaims(v.asText()).map(c -> c.path("exp").isIntegralNumber()).orElse(false)
                    ? null : "expected a JWT with a numeric exp";
            case "<base64>" -> v.isTextual() && isBase64(v.asText()) ? null : "expected base64";
            case "<json-array-string>" -> v.isTextual() && isJsonArray(v.asText()) ? null : "expected a string holding a JSON array";
            default -> "unknown placeholder " + placeholder;
        };
    }

    private static TreeSet<String> names(JsonNode n) {
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equals(s.toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What Go's time.Time accepts: RFC 3339 with a zone (Z or an offset). */
    public static boolean isRfc3339(String s) {
        try {
            OffsetDateTime.parse(s);
            return s.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isUrl(String s) {
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isBase64(String s) {
        try {
            return !s.isEmpty() && Base64.getDecoder().decode(s).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isJsonArray(String s) {
        try {
            return TestClient.JSON.readTree(s).isArray();
        } catch (IOException e) {
            return false;
        }
    }
}
