package dev.arcsim.fake.random;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The run's one seeded source of randomness. Every random choice the fake makes (fault probabilities, latency samples,
 * ids, tokens) is drawn here, so a seed replays exactly in the simulated world.
 *
 * <p>Tokens drawn from it are unguessable only in the sense a test needs; the fake is not a security boundary.
 */
public final class RandomSource {

    private final long seed;
    private final SplittableRandom random;

    public RandomSource(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    public synchronized double nextDouble() {
        return random.nextDouble();
    }

    public synchronized long nextLong(long bound) {
        return random.nextLong(bound);
    }

    public synchronized int nextInt(int origin, int bound) {
        return random.nextInt(origin, bound);
    }

    /** True with the given probability (0..1). */
    public boolean chance(double probability) {
        return probability >= 1.0 || (probability > 0.0 && nextDouble() < probability);
    }

    /** A sample of a normal distribution with mean 0 and deviation 1 (Box-Muller). */
    public double nextGaussian() {
        double u1;
        double u2;
        synchronized (this) {
            u1 = random.nextDouble();
            u2 = random.nextDouble();
        }
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A lognormal sample with the given median and shape (sigma of the underlying normal). */
    public double lognormal(double median, double sigma) {
        return median * Math.exp(sigma * nextGaussian());
    }

    /** A version-4 UUID drawn from this source. */
    public synchronized UUID uuid() {
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** {@code length} characters from {@code alphabet}. */
    public synchronized String string(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
