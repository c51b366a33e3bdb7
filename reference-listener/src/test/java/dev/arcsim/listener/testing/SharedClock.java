package dev.arcsim.listener.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * One virtual clock for both sides of an in-process test: the fake's scheduler and the listener's. Single actor:
 * a wait with nothing to wake it jumps to its deadline.
 */
public final class SharedClock implements dev.arcsim.fake.time.Scheduler, dev.arcsim.listener.time.Scheduler {

    private Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        now = now.plus(duration);
    }

    public void advance(Duration d) {
        sleep(d);
    }

    @Override
    public ChangeSignal newSignal() {
        return new ChangeSignal() {
            private long version;

            @Override
            public synchronized long version() {
                return version;
            }

            @Override
            public synchronized void signalAll() {
                version++;
            }

            @Override
            public synchronized boolean awaitChange(long seen, Instant deadline) {
                if (version != seen) {
                    return true;
                }
                synchronized (SharedClock.this) {
                    if (deadline.isAfter(now)) {
                        now = deadline;
                    }
                }
                return false;
            }
        };
    }
}
