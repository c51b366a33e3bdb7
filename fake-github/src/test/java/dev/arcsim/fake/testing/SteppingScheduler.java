package dev.arcsim.fake.testing;

import dev.arcsim.fake.time.Scheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * Virtual time for one actor: time moves only when the test advances it or when the actor waits, and a wait with
 * nothing to wake it jumps straight to its deadline. Enough to run the state model's long polls in tests without
 * real waiting; not for several threads.
 */
public final class SteppingScheduler implements Scheduler {

    private Instant now;

    public SteppingScheduler() {
        this(Instant.parse("2026-01-01T10:00:00Z"));
    }

    public SteppingScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
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
            public synchronized boolean awaitChange(long seenVersion, Instant deadline) {
                if (version != seenVersion) {
                    return true;
                }
                synchronized (SteppingScheduler.this) {
                    if (deadline.isAfter(now)) {
                        now = deadline;
                    }
                }
                return false;
            }
        };
    }
}
