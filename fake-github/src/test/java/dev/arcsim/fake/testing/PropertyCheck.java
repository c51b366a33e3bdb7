package dev.arcsim.fake.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * arcsim's own property checking (DEPENDENCIES.md says why not jqwik): one seed drives every generated case; a
 * failing case is shrunk by trying smaller candidates until none still fails. Case {@code i} of seed {@code s} is
 * generated from {@code s + i}, so a failure reports the one seed that replays it alone.
 */
public final class PropertyCheck {

    private PropertyCheck() {
    }

    /** Makes a case from a random source; {@code size} grows with the try number. */
    @FunctionalInterface
    public interface Generator<T> {
        T generate(SplittableRandom random, int size);
    }

    /** The system property that replays one case: {@code -Darcsim.replay=SEED:SIZE}. */
    public static final String REPLAY = "arcsim.replay";

    /** A failing case, the smallest failing case found from it, and what failed. */
    public record Failure<T>(long seed, int size, T original, T shrunk, int shrinkSteps, Throwable error) {
        public String describe() {
            return "property failed; replay this case alone with -D" + REPLAY + "=" + seed + ":" + size
                    + "\n  shrunk in " + shrinkSteps + " steps to: " + shrunk + "\n  error: " + error;
        }
    }

    /**
     * Runs {@code tries} cases, or only the case {@code -Darcsim.replay=SEED:SIZE} names; the first failure is
     * shrunk and returned.
     */
    public static <T> Optional<Failure<T>> check(long seed, int tries, int maxSize, Generator<T> generator,
                                                 Function<T, Stream<T>> shrinker, Consumer<T> property) {
        String replay = System.getProperty(REPLAY);
        if (replay != null && replay.matches("-?\\d+:\\d+")) {
            String[] parts = replay.split(":");
            return runCase(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), generator, shrinker, property);
        }
        for (int i = 0; i < tries; i++) {
            int size = 1 + (int) ((long) maxSize * (i + 1) / tries);
            Optional<Failure<T>> failure = runCase(seed + i, size, generator, shrinker, property);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private static <T> Optional<Failure<T>> runCase(long caseSeed, int size, Generator<T> generator,
                                                    Function<T, Stream<T>> shrinker, Consumer<T> property) {
        T value = generator.generate(new SplittableRandom(caseSeed), size);
        Throwable error = failure(property, value);
        return error == null ? Optional.empty() : Optional.of(shrink(caseSeed, size, value, error, shrinker, property));
    }

    /** Shrinks greedily: take the first smaller candidate that still fails, repeat until none does. */
    public static <T> Failure<T> shrink(long seed, int size, T value, Throwable error, Function<T, Stream<T>> shrinker,
                                        Consumer<T> property) {
        T current = value;
        Throwable currentError = error;
        int steps = 0;
        boolean progressed = true;
        while (progressed && steps < 10_000) {
            progressed = false;
            for (T candidate : (Iterable<T>) shrinker.apply(current)::iterator) {
                Throwable e = failure(property, candidate);
                if (e != null) {
                    current = candidate;
                    currentError = e;
                    steps++;
                    progressed = true;
                    break;
                }
            }
        }
        return new Failure<>(seed, size, value, current, steps, currentError);
    }

    private static <T> Throwable failure(Consumer<T> property, T value) {
        try {
            property.accept(value);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }

    /**
     * Smaller lists: first without chunks of halving size (delta debugging), then with one element replaced by
     * each of its own smaller forms.
     */
    public static <E> Stream<List<E>> shrinkList(List<E> list, Function<E, Stream<E>> shrinkElement) {
        List<List<E>> candidates = new ArrayList<>();
        for (int chunk = list.size(); chunk >= 1; chunk /= 2) {
            for (int start = 0; start + chunk <= list.size(); start += chunk) {
                List<E> without = new ArrayList<>(list.subList(0, start));
                without.addAll(list.subList(start + chunk, list.size()));
                candidates.add(without);
            }
        }
        Stream<List<E>> deletions = candidates.stream();
        Stream<List<E>> elementShrinks = Stream.iterate(0, i -> i < list.size(), i -> i + 1)
                .flatMap(i -> shrinkElement.apply(list.get(i)).map(smaller -> {
                    List<E> copy = new ArrayList<>(list);
                    copy.set(i, smaller);
                    return copy;
                }));
        return Stream.concat(deletions, elementShrinks);
    }

    /** Smaller non-negative numbers toward {@code floor}: the floor, then halfway, then one less. */
    public static Stream<Integer> shrinkInt(int value, int floor) {
        if (value <= floor) {
            return Stream.empty();
        }
        return Stream.of(floor, floor + (value - floor) / 2, value - 1).filter(v -> v < value).distinct();
    }
}
