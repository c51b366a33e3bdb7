package dev.arcsim.fake.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The wall-clock world: real time, real waiting. */
public final class SystemScheduler implements Scheduler {

    private final Clock clock;

    public SystemScheduler() {
        this(Clock.systemUTC());
    }

    public SystemScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }
    }

    @Override
    public ChangeSignal newSignal() {
        return new MonitorSignal();
    }

    private final class MonitorSignal implements ChangeSignal {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long version;

        @Override
        public long version() {
            lock.lock();
            try {
                return version;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void signalAll() {
            lock.lock();
            try {
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean awaitChange(long seenVersion, Instant deadline) throws InterruptedException {
            lock.lock();
            try {
                while (version == seenVersion) {
                    long nanos = Duration.between(now(), deadline).toNanos();
                    if (nanos <= 0) {
                        return false;
                    }
                    changed.awaitNanos(nanos);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
