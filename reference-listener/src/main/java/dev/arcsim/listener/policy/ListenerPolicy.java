package dev.arcsim.listener.policy;

import java.time.Duration;

/**
 * How a listener behaves when things go wrong: a small immutable value chosen per run.
 *
 * @param retries           retries of one call before giving up (ARC: 4); -1 never gives up
 * @param backoff           the wait between retries; Retry-After is honoured when it is longer
 * @param exitOnError       a call that gave up, or any unexpected answer, ends the process with exit 1 (ARC)
 * @param conflictIsFatal   a 409 on session create ends the process (ARC), else it is retried with backoff
 * @param takeover          delete the session id remembered in the state store before creating a new one
 * @param persistState      keep sessionId and lastMessageId in the state store
 * @param newSessionOnRefreshFailure a refresh that answers 404 starts a new session instead of exiting
 * @param retryBudgetPerMinute retries allowed per minute across all calls before waits go to the cap (0 = no budget)
 * @param escalateAfter     after failing this long, drop the session and start over (resilient only)
 * @param exitCodeOnStop    ARC exits 1 even on a clean SIGTERM (PROTOCOL.md §4.7)
 */
public record ListenerPolicy(String name, Line line, int retries, Backoff backoff, boolean exitOnError,
                             boolean conflictIsFatal, boolean takeover, boolean persistState,
                             boolean newSessionOnRefreshFailure, int retryBudgetPerMinute, Duration escalateAfter,
                             int exitCodeOnStop) {

    public static final String ARC_08 = "arc-0.8";
    public static final String ARC_LEGACY = "arc-legacy";
    public static final String ARC_CURRENT = "arc-current";
    public static final String RESILIENT = "resilient";
    /** Not for use: a policy with a planted bug (see {@link Line#BROKEN_ACK_FIRST}) that arcsim's search must catch. */
    public static final String BROKEN_ACK_FIRST = "broken-ack-first";

    /**
     * ARC 0.8.1 (ARC@1f9b754, {@code githubrunnerscalesetlistener}), the seeds' affected range 0.8.1-0.10.1: the 0.13
     * line's message handling and retries, as its binary showed against fake-github (reports/baseline/fidelity.md).
     */
    public static ListenerPolicy arc08() {
        return new ListenerPolicy(ARC_08, Line.LEGACY, 4, Backoff.RetryableHttp.ARC, true, true, false, false,
                false, 0, Duration.ZERO, 1);
    }

    /** ARC 0.13 (ARC@c6e4c94). */
    public static ListenerPolicy arcLegacy() {
        return new ListenerPolicy(ARC_LEGACY, Line.LEGACY, 4, Backoff.RetryableHttp.ARC, true, true, false, false,
                false, 0, Duration.ZERO, 1);
    }

    /** ARC 0.14 on scaleset v0.4.0. */
    public static ListenerPolicy arcCurrent() {
        return new ListenerPolicy(ARC_CURRENT, Line.CURRENT, 4, Backoff.RetryableHttp.ARC, true, true, false, false,
                false, 0, Duration.ZERO, 1);
    }

    /** arcsim's default: never exits on a transient fault, full-jitter backoff, takeover, persisted state. */
    public static ListenerPolicy resilient(Backoff backoff, int retryBudgetPerMinute, Duration escalateAfter) {
        return new ListenerPolicy(RESILIENT, Line.SAFE, -1, backoff, false, false, true, true, true,
                retryBudgetPerMinute, escalateAfter, 0);
    }

    /** resilient's recovery with {@link Line#BROKEN_ACK_FIRST}'s planted bug. */
    public static ListenerPolicy brokenAckFirst() {
        ListenerPolicy r = resilient();
        return new ListenerPolicy(BROKEN_ACK_FIRST, Line.BROKEN_ACK_FIRST, r.retries(), r.backoff(), false, false, true,
                true, true, r.retryBudgetPerMinute(), r.escalateAfter(), 0);
    }

    public static ListenerPolicy resilient() {
        return resilient(new Backoff.Exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), Backoff.Jitter.FULL, 0),
                60, Duration.ofMinutes(5));
    }
}
