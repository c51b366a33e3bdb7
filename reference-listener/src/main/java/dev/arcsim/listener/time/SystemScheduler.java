package dev.arcsim.listener.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The wall clock. */
public final class SystemScheduler implements Scheduler {

    private final Clock clock = Clock.systemUTC();

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isPositive()) {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }
    }
}
