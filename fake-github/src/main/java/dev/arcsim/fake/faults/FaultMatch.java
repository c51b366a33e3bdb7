package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.Endpoint;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which requests a fault hits: by endpoint name, method and path pattern, inside a time window (seconds since the
 * fake started), with a probability, for at most {@code count} hits. Absent fields match everything.
 */
public record FaultMatch(Set<Endpoint> endpoints, String method, Pattern path, double probability,
                         Long atSecond, Long untilSecond, Integer count) {

    public boolean matches(ApiRequest request, Endpoint endpoint, long secondsSinceStart) {
        return (endpoints.isEmpty() || endpoints.contains(endpoint))
                && (method == null || method.equalsIgnoreCase(request.method()))
                && (path == null || pathMatches(path, request.path()))
                && (atSecond == null || secondsSinceStart >= atSecond)
                && (untilSecond == null || secondsSinceStart < untilSecond);
    }

    /**
     * Steps a path pattern may take on one request path. A pattern is the operator's (the admin API, a scenario), but
     * one that backtracks without end, such as {@code (a+)+$}, would hang every request it is tried on; past this
     * budget it does not match.
     */
    static final int MATCH_BUDGET = 100_000;

    static boolean pathMatches(Pattern pattern, String path) {
        try {
            return pattern.matcher(new Budgeted(path, MATCH_BUDGET)).find();
        } catch (Budgeted.Exhausted e) {
            return false;
        }
    }

    /** A string that refuses to be read more than {@code budget} times, which is how a regex match is stopped. */
    private static final class Budgeted implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("the path pattern took too many steps", null, false, false);
            }
        }

        private final String text;
        private final int[] left;

        Budgeted(String text, int budget) {
            this(text, new int[] {budget});
        }

        private Budgeted(String text, int[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    void describeInto(ObjectNode node) {
        if (endpoints.size() == 1) {
            node.put("endpoint", endpoints.iterator().next().wireName());
        } else if (!endpoints.isEmpty()) {
            endpoints.forEach(e -> node.withArray("endpoint").add(e.wireName()));
        }
        if (method != null) {
            node.put("method", method);
        }
        if (path != null) {
            node.put("path", path.pattern());
        }
        node.put("probability", probability);
        if (atSecond != null) {
            node.put("at", atSecond);
        }
        if (untilSecond != null) {
            node.put("until", untilSecond);
        }
        if (count != null) {
            node.put("count", count);
        }
    }
}
