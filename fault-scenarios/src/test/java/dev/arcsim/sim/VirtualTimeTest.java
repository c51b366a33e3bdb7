package dev.arcsim.sim;

import dev.arcsim.fake.time.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One actor at a time, time that jumps to the next wake-up, and waits that end on a change or a deadline. */
class VirtualTimeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Runnable sleeping(VirtualTime vt, List<String> log, String name, long... seconds) {
        return () -> {
            try {
                for (long s : seconds) {
                    vt.sleep(Duration.ofSeconds(s));
                    log.add(name + "@" + Duration.between(T0, vt.now()).toSeconds());
                }
            } catch (InterruptedException e) {
                log.add(name + " interrupted@" + Duration.between(T0, vt.now()).toSeconds());
            }
        };
    }

    @Test
    void actorsWakeInTimeOrderAndTimeJumpsBetweenThem() throws Exception {
        VirtualTime vt = new VirtualTime(T0);
        List<String> log = new ArrayList<>();
        vt.spawn("a", sleeping(vt, log, "a", 10, 10, 10));
        vt.spawn("b", sleeping(vt, log, "b", 15, 15));
        vt.runUntil(T0.plus(Duration.ofHours(1)));
        assertEquals(List.of("a@10", "b@15", "a@20", "b@30", "a@30"), log,
                "a tie goes to the wait made first: b asked for 30 s at 15 s, a at 20 s");
        assertEquals(T0.plus(Duration.ofHours(1)), vt.now(), "an idle world stands at the end of the run");
    }

    @Test
    void aRunStopsAtItsLimitAndTheNextGoesOnFromThere() throws Exception {
        VirtualTime vt = new VirtualTime(T0);
        List<String> log = new ArrayList<>();
        vt.spawn("a", sleeping(vt, log, "a", 10, 10, 10));
        vt.runUntil(T0.plusSeconds(15));
        assertEquals(List.of("a@10"), log);
        assertEquals(T0.plusSeconds(15), vt.now());
        vt.runFor(Duration.ofSeconds(100));
        assertEquals(List.of("a@10", "a@20", "a@30"), log);
    }

    @Test
    void aWaitEndsOnASignalOrAtItsDeadline() throws Exception {
        VirtualTime vt = new VirtualTime(T0);
        Scheduler.ChangeSignal signal = vt.newSignal();
        List<String> log = new ArrayList<>();
        vt.spawn("waiter", () -> {
            try {
                long seen = signal.version();
                boolean changed = signal.awaitChange(seen, T0.plusSeconds(50));
                log.add("first " + changed + "@" + Duration.between(T0, vt.now()).toSeconds());
                changed = signal.awaitChange(signal.version(), vt.now().plusSeconds(50));
                log.add("second " + changed + "@" + Duration.between(T0, vt.now()).toSeconds());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        vt.spawn("signaller", () -> {
            try {
                vt.sleep(Duration.ofSeconds(7));
                signal.signalAll();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        vt.runFor(Duration.ofMinutes(5));
        assertEquals(List.of("first true@7", "second false@57"), log);
    }

    @Test
    void anInterruptEndsTheWaitWithInterruptedException() throws Exception {
        VirtualTime vt = new VirtualTime(T0);
        List<String> log = new ArrayList<>();
        vt.spawn("sleeper", sleeping(vt, log, "sleeper", 3600));
        vt.runFor(Duration.ofSeconds(5));
        vt.interrupt("sleeper");
        vt.runFor(Duration.ofSeconds(1));
        assertEquals(List.of("sleeper interrupted@5"), log);
    }

    @Test
    void anInterruptOfAnActorsThreadFromAnotherActorWakesItOnItsTurn() throws Exception {
        VirtualTime vt = new VirtualTime(T0);
        List<String> log = new ArrayList<>();
        Thread[] sleeper = {null};
        vt.spawn("sleeper", () -> {
            sleeper[0] = Thread.currentThread();
            sleeping(vt, log, "sleeper", 3600).run();
        });
        vt.spawn("stopper", () -> {
            try {
                vt.sleep(Duration.ofSeconds(9));
                vt.interrupt(sleeper[0]);   // what a listener's stop does to its run thread, through the world
                log.add("stopper@" + Duration.between(T0, vt.now()).toSeconds());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        vt.runFor(Duration.ofSeconds(60));
        assertEquals(List.of("stopper@9", "sleeper interrupted@9"), log, "the stopper finished its turn first");
    }

    @Test
    void anActorThatFailsFailsTheRunNamingIt() {
        VirtualTime vt = new VirtualTime(T0);
        vt.spawn("broken", () -> {
            throw new IllegalArgumentException("boom");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vt.runFor(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("actor broken failed"), e.getMessage());
    }

    @Test
    void onlyAnActorMayWait() {
        VirtualTime vt = new VirtualTime(T0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vt.sleep(Duration.ofSeconds(1)));
        assertFalse(e.getMessage().isEmpty());
    }
}
