package dev.arcsim.listener.testing;

import dev.arcsim.listener.time.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Virtual time for one actor: sleeping moves the clock at once and is recorded. */
public final class SteppingScheduler implements Scheduler {

    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
