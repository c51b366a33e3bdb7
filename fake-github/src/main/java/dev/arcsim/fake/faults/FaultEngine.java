package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.Endpoint;
import dev.arcsim.fake.random.RandomSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides, from the run's seeded random source and the faults in force, which faults hit a request, and chains
 * them around the service's handling: the first fault in force is outermost.
 */
public final class FaultEngine {

    /** A fault that hit a request, as the journal records it. */
    public record Hit(String id, String kind) {
    }

    private final RandomSource random;
    private final Instant startedAt;
    private final Map<String, FaultRule> rules = new LinkedHashMap<>();
    private final Map<String, Integer> hits = new LinkedHashMap<>();
    private long nextId = 1;

    public FaultEngine(RandomSource random, Instant startedAt) {
        this.random = random;
        this.startedAt = startedAt;
    }

    public synchronized String nextId() {
        return "f" + nextId++;
    }

    public synchronized void add(FaultRule rule) {
        rules.put(rule.id(), rule);
        hits.put(rule.id(), 0);
    }

    public synchronized void addAll(List<FaultRule> added) {
        added.forEach(this::add);
    }

    public synchronized boolean remove(String id) {
        hits.remove(id);
        return rules.remove(id) != null;
    }

    public synchronized void clear() {
        rules.clear();
        hits.clear();
    }

    /** The faults in force, each with how often it has hit and whether its count is used up. */
    public synchronized ArrayNode describe() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        rules.values().forEach(r -> {
            int used = hits.getOrDefault(r.id(), 0);
            out.add(r.toJson().put("hits", used)
                    .put("exhausted", r.match().count() != null && used >= r.match().count()));
        });
        return out;
    }

    /**
     * Picks the faults that hit this request now, reserving their counts; {@link #realise} then gives back the count of
     * any that an outer fault pre-empted.
     */
    public synchronized List<FaultRule> select(ApiRequest request, Endpoint endpoint, Instant now) {
        long second = Duration.between(startedAt, now).toSeconds();
        List<FaultRule> selected = new ArrayList<>();
        for (FaultRule rule : rules.values()) {
            FaultMatch m = rule.match();
            int used = hits.get(rule.id());
            if ((m.count() != null && used >= m.count()) || !m.matches(request, endpoint, second)) {
                continue;
            }
            if (random.chance(m.probability())) {
                hits.put(rule.id(), used + 1);
                selected.add(rule);
            }
        }
        return selected;
    }

    /** An answer, and the faults that shaped it (those an outer fault answered before them are not among them). */
    public record Realised(ApiResponse response, List<FaultRule> faults) {
    }

    /**
     * Realises the selected faults around the service's handling, outermost first. A fault that answers without
     * calling what it wraps (a 503) pre-empts those inside it: they did nothing, so their counts are given back and
     * they are not reported as injected.
     */
    public Realised realise(List<FaultRule> selected, Supplier<ApiResponse> service, FaultContext context) {
        List<FaultRule> realised = new ArrayList<>();
        Supplier<ApiResponse> chain = service;
        for (int i = selected.size() - 1; i >= 0; i--) {
            FaultRule rule = selected.get(i);
            Supplier<ApiResponse> inner = chain;
            chain = () -> {
                realised.add(rule);
                return rule.fault().realise(inner, context);
            };
        }
        ApiResponse response = chain.get();
        giveBack(selected.stream().filter(r -> !realised.contains(r)).toList());
        return new Realised(response, List.copyOf(realised));
    }

    private synchronized void giveBack(List<FaultRule> preempted) {
        for (FaultRule r : preempted) {
            hits.computeIfPresent(r.id(), (id, used) -> Math.max(0, used - 1));
        }
    }

    public static List<Hit> hits(List<FaultRule> selected) {
        return selected.stream().map(r -> new Hit(r.id(), r.fault().kind())).toList();
    }
}
