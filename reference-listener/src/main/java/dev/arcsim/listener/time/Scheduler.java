package dev.arcsim.listener.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The listener's one seam for time: it reads the time and waits only through this, so the same listener runs on
 * the wall clock in a pod and in virtual time in a simulated world.
 */
public interface Scheduler {

    Instant now();

    /** Waits {@code duration} of this world's time; interruptible, as a shutdown interrupts the listener. */
    void sleep(Duration duration) throws InterruptedException;
}
