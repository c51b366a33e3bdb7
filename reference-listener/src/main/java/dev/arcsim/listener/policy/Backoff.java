package dev.arcsim.listener.policy;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** How long to wait before retry number {@code attempt} (1 = the first retry). A small value, no state of its own. */
public sealed interface Backoff {

    Duration delay(int attempt, Duration previous, RandomGenerator random);

    /** The largest delay this backoff can return, for budget checks. */
    Duration cap();

    /**
     * The wait once the answer's Retry-After (null: none) is known: the longer of the two. {@code status} is the
     * answer's HTTP status (0 for a connection error).
     */
    default Duration honouring(Duration backoff, Duration retryAfter, int status) {
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    /**
     * hashicorp/go-retryablehttp's DefaultBackoff as ARC uses it: min·2^(attempt−1), capped (1, 2, 4, 8 s), no jitter
     * (PROTOCOL.md §3).
     */
    record RetryableHttp(Duration min, Duration max) implements Backoff {
        public static final RetryableHttp ARC = new RetryableHttp(Duration.ofSeconds(1), Duration.ofSeconds(30));

        @Override
        public Duration delay(int attempt, Duration previous, RandomGenerator random) {
            long millis = min.toMillis() << Math.min(30, attempt - 1);
            return Duration.ofMillis(Math.min(millis, max.toMillis()));
        }

        @Override
        public Duration cap() {
            return max;
        }

        /**
         * go-retryablehttp's DefaultBackoff sleeps exactly Retry-After on a 429 or a 503 that carries one, shorter or
         * longer than its own delay and uncapped; on any other answer it ignores the header. Measured with ARC's 0.13
         * and HEAD binaries against fake-github (arcsim issue 13): Retry-After 3 s gave retries 3, 3, 3, 3 s apart,
         * where taking the longer of the two gave 3, 3, 4, 8 s.
         */
        @Override
        public Duration honouring(Duration backoff, Duration retryAfter, int status) {
            return retryAfter != null && (status == 429 || status == 503) ? retryAfter : backoff;
        }
    }

    /** The same delay every time. */
    record Fixed(Duration delay) implements Backoff {
        @Override
        public Duration delay(int attempt, Duration previous, RandomGenerator random) {
            return delay;
        }

        @Override
        public Duration cap() {
            return delay;
        }
    }

    enum Jitter {
        /** base·m^(n−1), capped. */
        NONE,
        /** uniform in [0, capped exponential] (the AWS study's "full jitter"). */
        FULL,
        /** half the capped exponential plus uniform in [0, half]. */
        EQUAL,
        /** min(cap, uniform in [base, previous·3]). */
        DECORRELATED,
        /** the capped exponential ±{@code spread} (gRPC: ±20 %). */
        PROPORTIONAL
    }

    /**
     * Exponential backoff with a multiplier, a cap and a jitter kind. gRPC's connection backoff is
     * {@code new Exponential(1 s, 1.6, 120 s, PROPORTIONAL, 0.2)}.
     */
    record Exponential(Duration base, double multiplier, Duration cap, Jitter jitter, double spread) implements Backoff {

        public Exponential {
            if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || multiplier < 1.0 || spread < 0 || spread >= 1) {
                throw new IllegalArgumentException("backoff needs base > 0, cap >= base, multiplier >= 1 and 0 <= spread < 1");
            }
        }

        @Override
        public Duration delay(int attempt, Duration previous, RandomGenerator random) {
            double capMs = cap.toMillis();
            double exp = Math.min(capMs, base.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1)));
            double ms = switch (jitter) {
                case NONE -> exp;
                case FULL -> random.nextDouble() * exp;
                case EQUAL -> exp / 2 + random.nextDouble() * exp / 2;
                case DECORRELATED -> {
                    double lo = base.toMillis();
                    double hi = Math.max(lo, (previous == null || previous.isZero() ? lo : previous.toMillis()) * 3);
                    yield Math.min(capMs, lo + random.nextDouble() * (hi - lo));
                }
                case PROPORTIONAL -> Math.min(capMs, exp * (1 - spread + 2 * spread * random.nextDouble()));
            };
            return Duration.ofMillis(Math.round(ms));
        }
    }
}
