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
                && (path == null || path.matcher(request.path()).find())
                && (atSecond == null || secondsSinceStart >= atSecond)
                && (untilSecond == null || secondsSinceStart < untilSecond);
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
