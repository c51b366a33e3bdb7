package dev.arcsim.listener.policy;

import dev.arcsim.listener.client.ApiException;
import dev.arcsim.listener.client.MalformedResponseException;
import dev.arcsim.listener.testing.SteppingScheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each policy's retry decisions, with every decision recorded as an event. */
class RetrierTest {

    private final SteppingScheduler clock = new SteppingScheduler();
    private final List<Map<String, Object>> events = new ArrayList<>();

    private Retrier retrier(ListenerPolicy policy) {
        return new Retrier(policy, clock, new SplittableRandom(1), (type, fields) -> events.add(fields));
    }

    private static ApiException status(int status, Duration retryAfter) {
        return new ApiException("get-message", status, null, "boom", null, retryAfter);
    }

    @Test
    void arcRetriesFourTimesAtOneTwoFourEightThenGivesUp() {
        AtomicInteger calls = new AtomicInteger();
        GaveUpException e = assertThrows(GaveUpException.class, () -> retrier(ListenerPolicy.arcLegacy()).call("get-message", () -> {
            calls.incrementAndGet();
            throw status(503, null);
        }));
        assertEquals(5, calls.get(), "retryablehttp: RetryMax 4 means 5 attempts");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), clock.sleeps());
        assertTrue(e.getMessage().contains("giving up after 5 attempt(s)"), e.getMessage());
        assertEquals(4, events.size());
        assertEquals("status 503", events.get(0).get("reason"));
    }

    @Test
    void connectionErrorsAnd429AreRetriedButOther4xxAreNot() throws Exception {
        Retrier r = retrier(ListenerPolicy.arcCurrent());
        AtomicInteger calls = new AtomicInteger();
        String answer = r.call("x", () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new IOException("connection reset");
            }
            if (n == 2) {
                throw status(429, null);
            }
            return "ok";
        });
        assertEquals("ok", answer);
        ApiException conflict = assertThrows(ApiException.class, () -> r.call("create-session", () -> {
            throw status(409, null);
        }));
        assertEquals(409, conflict.status());
        assertThrows(ApiException.class, () -> r.call("x", () -> {
            throw status(501, null);
        }), "501 is not retried, as retryablehttp does not");
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        retrier(ListenerPolicy.arcLegacy()).call("x", () -> {
            if (calls.incrementAndGet() == 1) {
                throw status(429, Duration.ofSeconds(17));
            }
            return null;
        });
        assertEquals(List.of(Duration.ofSeconds(17)), clock.sleeps());
    }

    @Test
    void arcDoesNotRetryAMalformedAnswerButResilientDoes() throws Exception {
        assertThrows(MalformedResponseException.class, () -> retrier(ListenerPolicy.arcLegacy()).call("get-message", () -> {
            throw new MalformedResponseException("get-message: 200 with an empty body (EOF)");
        }));
        AtomicInteger calls = new AtomicInteger();
        String answer = retrier(ListenerPolicy.resilient()).call("get-message", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new MalformedResponseException("EOF");
            }
            return "message";
        });
        assertEquals("message", answer);
    }

    @Test
    void resilientNeverGivesUpOnATransientFault() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String answer = retrier(ListenerPolicy.resilient()).call("get-message", () -> {
            if (calls.incrementAndGet() < 200) {
                throw new IOException("connection refused");
            }
            return "back";
        });
        assertEquals("back", answer);
        assertEquals(199, clock.sleeps().size());
        assertTrue(clock.sleeps().stream().allMatch(d -> d.compareTo(Duration.ofSeconds(30)) <= 0), "no wait above the cap");
    }

    @Test
    void aSpentRetryBudgetSendsWaitsToTheCap() {
        ListenerPolicy tight = ListenerPolicy.resilient(new Backoff.Exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(20),
                Backoff.Jitter.NONE, 0), 3, Duration.ofMinutes(5));
        Retrier r = retrier(tight);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(r.nextDelay(1, Duration.ZERO, null));
        }
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofSeconds(20), Duration.ofSeconds(20)), delays);
        clock.sleep(Duration.ofSeconds(61));
        assertEquals(Duration.ofMillis(100), r.nextDelay(1, Duration.ZERO, null), "the budget refills after a minute");
    }

    @Test
    void policyParametersAreCheckedByName() {
        var e = assertThrows(dev.arcsim.listener.config.ConfigException.class,
                () -> PolicyFactory.create("resilient", Map.of("capSecs", 10)));
        assertTrue(e.getMessage().contains("capSecs is not a parameter of resilient"), e.getMessage());
        assertThrows(dev.arcsim.listener.config.ConfigException.class, () -> PolicyFactory.create("arc-legacy", Map.of("baseSeconds", 2)));
        assertThrows(dev.arcsim.listener.config.ConfigException.class, () -> PolicyFactory.create("fast", Map.of()));
        ListenerPolicy p = PolicyFactory.create("resilient", Map.of("jitter", "equal", "capSeconds", 60));
        assertEquals(Backoff.Jitter.EQUAL, ((Backoff.Exponential) p.backoff()).jitter());
        assertEquals(Duration.ofSeconds(60), p.backoff().cap());
    }
}
