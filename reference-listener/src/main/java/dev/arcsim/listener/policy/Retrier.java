package dev.arcsim.listener.policy;

import dev.arcsim.listener.client.ApiException;
import dev.arcsim.listener.client.MalformedResponseException;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.time.Scheduler;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Runs one call under the policy: retries what the policy calls transient (connection errors, 429, 5xx except 501;
 * for the resilient policy also malformed 2xx answers), waits through the scheduler, honours Retry-After, keeps the
 * retry budget, and reports each decision as a {@code retry} event. Other refusals go straight back to the caller,
 * whose logic (session conflict, token refresh) decides.
 */
public final class Retrier {

    /** One attempt of a call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws IOException, InterruptedException, ApiException, MalformedResponseException;
    }

    private final ListenerPolicy policy;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final ListenerEvents events;
    private final Deque<Instant> recentRetries = new ArrayDeque<>();

    public Retrier(ListenerPolicy policy, Scheduler scheduler, RandomGenerator random, ListenerEvents events) {
        this.policy = policy;
        this.scheduler = scheduler;
        this.random = random;
        this.events = events;
    }

    public <T> T call(String operation, Call<T> call)
            throws GaveUpException, InterruptedException, ApiException, MalformedResponseException {
        return call(operation, Integer.MAX_VALUE, call);
    }

    /** As {@link #call(String, Call)}, giving up after at most {@code maxRetries} retries whatever the policy says. */
    public <T> T call(String operation, int maxRetries, Call<T> call)
            throws GaveUpException, InterruptedException, ApiException, MalformedResponseException {
        int attempt = 0;
        Duration previous = Duration.ZERO;
        while (true) {
            try {
                return call.run();
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(operation + " interrupted");  // a stop, not a fault to retry
                }
                previous = retryOrGiveUp(operation, ++attempt, maxRetries, previous, e, null, 0, "connection: " + e.getMessage());
            } catch (ApiException e) {
                if (!e.isRetryableStatus()) {
                    throw e;
                }
                previous = retryOrGiveUp(operation, ++attempt, maxRetries, previous, e, e.retryAfter().orElse(null),
                        e.status(), "status " + e.status());
            } catch (MalformedResponseException e) {
                if (policy.exitOnError()) {
                    throw e;  // ARC: a 2xx it cannot parse is not retried
                }
                previous = retryOrGiveUp(operation, ++attempt, maxRetries, previous, e, null, 0, "malformed answer: " + e.getMessage());
            }
        }
    }

    private Duration retryOrGiveUp(String operation, int attempt, int maxRetries, Duration previous, Exception error,
                                   Duration retryAfter, int status, String reason) throws GaveUpException, InterruptedException {
        if ((policy.retries() >= 0 && attempt > policy.retries()) || attempt > maxRetries) {
            throw new GaveUpException(operation, attempt, error);
        }
        Duration delay = nextDelay(attempt, previous, retryAfter, status);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("operation", operation);
        fields.put("attempt", attempt);
        fields.put("delayMs", delay.toMillis());
        fields.put("reason", reason);
        events.emit("retry", fields);
        scheduler.sleep(delay);
        return delay;
    }

    /** As {@link #nextDelay(int, Duration, Duration, int)} for an answer of unknown status (Retry-After as a floor). */
    public Duration nextDelay(int attempt, Duration previous, Duration retryAfter) {
        return nextDelay(attempt, previous, retryAfter, 0);
    }

    /**
     * The policy's backoff, raised to the cap while the retry budget is spent, then with Retry-After as the backoff
     * honours it ({@link Backoff#honouring}).
     */
    public Duration nextDelay(int attempt, Duration previous, Duration retryAfter, int status) {
        Duration delay = policy.backoff().delay(attempt, previous, random);
        if (policy.retryBudgetPerMinute() > 0) {
            Instant now = scheduler.now();
            while (!recentRetries.isEmpty() && recentRetries.peekFirst().isBefore(now.minusSeconds(60))) {
                recentRetries.removeFirst();
            }
            if (recentRetries.size() >= policy.retryBudgetPerMinute()) {
                delay = policy.backoff().cap();
            }
            recentRetries.addLast(now);
        }
        return policy.backoff().honouring(delay, retryAfter, status);
    }
}
