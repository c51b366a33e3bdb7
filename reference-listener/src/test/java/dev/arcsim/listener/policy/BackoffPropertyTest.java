package dev.arcsim.listener.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded properties of every backoff: never negative, never above its cap, each jitter within its stated range, and
 * the spread of full jitter as specified. A failure names the seed and the case; rerun with -Darcsim.seed to replay.
 */
class BackoffPropertyTest {

    private static final long SEED = Long.getLong("arcsim.seed", 20261122L);

    private static Backoff.Exponential randomBackoff(SplittableRandom r) {
        Backoff.Jitter jitter = Backoff.Jitter.values()[r.nextInt(Backoff.Jitter.values().length)];
        long base = 1 + r.nextLong(5_000);
        long cap = base + r.nextLong(300_000);
        return new Backoff.Exponential(Duration.ofMillis(base), 1 + r.nextDouble() * 3, Duration.ofMillis(cap), jitter,
                r.nextDouble() * 0.5);
    }

    @Test
    void everyDelayIsWithinZeroAndTheCapAndWithinItsJittersRange() {
        for (int c = 0; c < 2_000; c++) {
            SplittableRandom r = new SplittableRandom(SEED + c);
            Backoff.Exponential b = randomBackoff(r);
            Duration previous = Duration.ZERO;
            for (int attempt = 1; attempt <= 40; attempt++) {
                Duration d = b.delay(attempt, previous, r);
                String where = "seed " + (SEED + c) + ", " + b + ", attempt " + attempt + ": " + d;
                assertTrue(!d.isNegative(), where);
                assertTrue(d.compareTo(b.cap()) <= 0, "above the cap: " + where);
                double exp = Math.min(b.cap().toMillis(), b.base().toMillis() * Math.pow(b.multiplier(), attempt - 1));
                long ms = d.toMillis();
                switch (b.jitter()) {
                    case NONE -> assertEquals(Math.round(exp), ms, where);
                    case FULL -> assertTrue(ms <= Math.round(exp), where);
                    case EQUAL -> assertTrue(ms >= Math.floor(exp / 2) && ms <= Math.round(exp), where);
                    case PROPORTIONAL -> assertTrue(ms >= Math.floor(exp * (1 - b.spread())) - 1
                            && ms <= Math.min(b.cap().toMillis(), Math.ceil(exp * (1 + b.spread())) + 1), where);
                    case DECORRELATED -> assertTrue(ms >= b.base().toMillis() || ms == b.cap().toMillis(), where);
                }
                previous = d;
            }
        }
    }

    @Test
    void fullJitterSpreadsUniformlyOverZeroToTheExponential() {
        Backoff.Exponential b = new Backoff.Exponential(Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Backoff.Jitter.FULL, 0);
        SplittableRandom r = new SplittableRandom(SEED);
        int n = 20_000;
        double sum = 0;
        long below = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
            long ms = b.delay(5, Duration.ZERO, r).toMillis();   // exponential 16 s
            sum += ms;
            below += ms < 8_000 ? 1 : 0;
            max = Math.max(max, ms);
        }
        double mean = sum / n;
        assertTrue(mean > 0.48 * 16_000 && mean < 0.52 * 16_000, "mean " + mean);
        assertTrue(below > 0.48 * n && below < 0.52 * n, "below half: " + below);
        assertTrue(max > 15_500 && max <= 16_000, "max " + max);
    }

    @Test
    void arcsRetryableHttpWaitsOneTwoFourEightSeconds() {
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            waits.add(Backoff.RetryableHttp.ARC.delay(attempt, Duration.ZERO, new SplittableRandom(SEED)));
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), waits);
        assertEquals(Duration.ofSeconds(30), Backoff.RetryableHttp.ARC.delay(9, Duration.ZERO, new SplittableRandom(SEED)));
    }

    @Test
    void grpcStyleBackoffStaysWithinTwentyPercentOfItsExponential() {
        Backoff.Exponential grpc = new Backoff.Exponential(Duration.ofSeconds(1), 1.6, Duration.ofSeconds(120),
                Backoff.Jitter.PROPORTIONAL, 0.2);
        SplittableRandom r = new SplittableRandom(SEED);
        for (int attempt = 1; attempt <= 20; attempt++) {
            double exp = Math.min(120_000, 1000 * Math.pow(1.6, attempt - 1));
            long ms = grpc.delay(attempt, Duration.ZERO, r).toMillis();
            assertTrue(ms >= exp * 0.8 - 1 && ms <= Math.min(120_000, exp * 1.2 + 1), "attempt " + attempt + ": " + ms);
        }
    }
}
