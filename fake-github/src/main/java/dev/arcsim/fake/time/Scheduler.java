package dev.arcsim.fake.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The one seam through which the fake reads time and waits.
 *
 * <p>The wall-clock implementation ({@link SystemScheduler}) waits for real; a simulated world supplies one that parks the
 * caller in virtual time. Code in the fake never reads the system clock or sleeps by itself, so the same state model runs
 * in both worlds.
 */
public interface Scheduler {

    /** The current time in this world. */
    Instant now();

    /** Blocks the calling actor for {@code duration} of this world's time. */
    void sleep(Duration duration) throws InterruptedException;

    /** A new change signal whose waiters park through this scheduler. */
    ChangeSignal newSignal();

    /**
     * A versioned wake-up: waiters read {@link #version()}, re-check their condition under their own lock, then
     * {@link #awaitChange(long, Instant) await} a change of version. Reading the version before the check closes the
     * race between "nothing to do" and "something arrived".
     */
    interface ChangeSignal {
        long version();

        /** Bumps the version and wakes every waiter. */
        void signalAll();

        /** Waits until the version differs from {@code seenVersion} or {@code deadline} passes; true if it changed. */
        boolean awaitChange(long seenVersion, Instant deadline) throws InterruptedException;
    }
}
