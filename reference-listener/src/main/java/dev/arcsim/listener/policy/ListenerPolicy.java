package dev.arcsim.listener.policy;

import java.time.Duration;

/**
 * How a listener behaves when things go wrong: a small immutable value chosen per run.
 *
 * @param retries           retries of one call before giving up (ARC: 4); -1 never gives up
 * @param backoff           the wait between retries; Retry-After is honoured when it is longer
 * @param exitOnError       a call that gave up, or any unexpected answer, ends the process with exit 1 (ARC)
 * @param onConflict        what a 409 on session create does
 * @param takeover          delete the session id remembered in the state store before creating a new one
 * @param persistState      keep sessionId and lastMessageId in the state store
 * @param newSessionOnRefreshFailure a refresh that answers 404 starts a new session instead of exiting
 * @param retryBudgetPerMinute retries allowed per minute across all calls before waits go to the cap (0 = no budget)
 * @param escalateAfter     after failing this long, drop the session and start over (resilient only)
 * @param exitCodeOnStop    ARC exits 1 even on a clean SIGTERM (PROTOCOL.md §4.7)
 */
public record ListenerPolicy(String name, Line line, int retries, Backoff backoff, boolean exitOnError,
                             OnConflict onConflict, boolean takeover, boolean persistState,
                             boolean newSessionOnRefreshFailure, int retryBudgetPerMinute, Duration escalateAfter,
                             int exitCodeOnStop) {

    public static final String ARC_08 = "arc-0.8";
    public static final String ARC_LEGACY = "arc-legacy";
    public static final String ARC_CURRENT = "arc-current";
    public static final String RESILIENT = "resilient";
    /** Not for use: a policy with a planted bug (see {@link Line#BROKEN_ACK_FIRST}) that arcsim's search must catch. */
    public static final String BROKEN_ACK_FIRST = "broken-ack-first";

    /** What a 409 ("already has an active session") on session create does. */
    public sealed interface OnConflict {
        /** The process exits 1 and its pod is restarted (ARC 0.13 and HEAD, as their binaries did on arcsim's wire). */
        record ExitProcess() implements OnConflict {
        }

        /** Retried with the policy's backoff for as long as it takes (resilient). */
        record RetryWithBackoff() implements OnConflict {
        }

        /**
         * Tried again in the same process after a wait drawn from [{@code waitMin}, {@code waitMax}), at most
         * {@code attempts} creates in all, then exit 1 (ARC 0.8.1).
         */
        record WaitAndRetry(int attempts, Duration waitMin, Duration waitMax) implements OnConflict {
            public WaitAndRetry {
                if (attempts < 1 || waitMax.compareTo(waitMin) < 0) {
                    throw new IllegalArgumentException("attempts >= 1 and waitMax >= waitMin, got " + attempts + ", "
                            + waitMin + ", " + waitMax);
                }
            }

            public Duration draw(java.util.random.RandomGenerator random) {
                long span = waitMax.toMillis() - waitMin.toMillis();
                return waitMin.plusMillis(span == 0 ? 0 : random.nextLong(span));
            }
        }
    }

    /**
     * ARC 0.8.1's listener on a 409: it logs "Will try again in 30 seconds" and waits in the same process (the binary
     * did so on arcsim's wire: one restart, one 409, the session 44 s after the kill). The wait range and the ten
     * creates before it gives up ("exceed %d retry limit") are the model's assumption, from ARC 0.8's source as
     * recalled; the binary's runs bound the wait, they did not reach the limit.
     */
    public static final OnConflict.WaitAndRetry ARC_08_ON_CONFLICT =
            new OnConflict.WaitAndRetry(10, Duration.ofSeconds(30), Duration.ofSeconds(45));

    /**
     * ARC's client timeout per request, long polls included: 5 minutes in ARC's source (its actions client, "timeout
     * must be > 1m to accommodate long polling"); its binaries waited out a 40 s hung poll on arcsim's wire. ARC
     * reads no setting for it, so the ARC models ignore arcsim's {@code requestTimeout}.
     */
    public static final Duration ARC_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /** The models of ARC's listener, oldest line first. */
    public static final java.util.List<String> ARC_MODELS = java.util.List.of(ARC_08, ARC_LEGACY, ARC_CURRENT);

    /** Whether a policy name is one of the models of ARC's listener, as opposed to arcsim's own policies. */
    public static boolean modelsArc(String policy) {
        return ARC_MODELS.contains(policy);
    }

    public boolean modelsArc() {
        return modelsArc(name);
    }

    /** The per-request timeout this policy's listener uses, given the one configured. */
    public Duration requestTimeout(Duration configured) {
        return modelsArc() ? ARC_REQUEST_TIMEOUT : configured;
    }

    /**
     * ARC 0.8.1 (ARC@1f9b754, {@code githubrunnerscalesetlistener}), the seeds' affected range 0.8.1-0.10.1: the 0.13
     * line's message handling and retries, but a 409 on session create is waited out in the same process
     * ({@link #ARC_08_ON_CONFLICT}), as its binary showed against fake-github (reports/baseline/fidelity.md).
     */
    public static ListenerPolicy arc08() {
        return new ListenerPolicy(ARC_08, Line.LEGACY, 4, Backoff.RetryableHttp.ARC, true, ARC_08_ON_CONFLICT, false,
                false, false, 0, Duration.ZERO, 1);
    }

    /** ARC 0.13 (ARC@c6e4c94). */
    public static ListenerPolicy arcLegacy() {
        return new ListenerPolicy(ARC_LEGACY, Line.LEGACY, 4, Backoff.RetryableHttp.ARC, true,
                new OnConflict.ExitProcess(), false, false, false, 0, Duration.ZERO, 1);
    }

    /** ARC 0.14 on scaleset v0.4.0. */
    public static ListenerPolicy arcCurrent() {
        return new ListenerPolicy(ARC_CURRENT, Line.CURRENT, 4, Backoff.RetryableHttp.ARC, true,
                new OnConflict.ExitProcess(), false, false, false, 0, Duration.ZERO, 1);
    }

    /** arcsim's default: never exits on a transient fault, full-jitter backoff, takeover, persisted state. */
    public static ListenerPolicy resilient(Backoff backoff, int retryBudgetPerMinute, Duration escalateAfter) {
        return new ListenerPolicy(RESILIENT, Line.SAFE, -1, backoff, false, new OnConflict.RetryWithBackoff(), true,
                true, true, retryBudgetPerMinute, escalateAfter, 0);
    }

    /** resilient's recovery with {@link Line#BROKEN_ACK_FIRST}'s planted bug. */
    public static ListenerPolicy brokenAckFirst() {
        ListenerPolicy r = resilient();
        return new ListenerPolicy(BROKEN_ACK_FIRST, Line.BROKEN_ACK_FIRST, r.retries(), r.backoff(), false,
                r.onConflict(), true, true, true, r.retryBudgetPerMinute(), r.escalateAfter(), 0);
    }

    public static ListenerPolicy resilient() {
        return resilient(new Backoff.Exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), Backoff.Jitter.FULL, 0),
                60, Duration.ofMinutes(5));
    }
}
