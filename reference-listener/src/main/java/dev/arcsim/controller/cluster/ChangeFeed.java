package dev.arcsim.controller.cluster;

import java.time.Duration;

/**
 * How a loop that passes over the cluster learns that something changed, so it can pass soon after a change and
 * otherwise rest: what a watch gives a real controller. A loop reads {@link #version()} before it looks, and after
 * its pass waits for the version to move on. {@link #NONE} knows of no changes; a loop with it passes at its fixed
 * interval, as over a real API server it does here (the reconcilers poll).
 */
public interface ChangeFeed {

    long version();

    /** Waits until the version is no longer {@code seen}, at most {@code max}; returns at once if it already moved. */
    void awaitChange(long seen, Duration max) throws InterruptedException;

    /**
     * The objects written or deleted since the last call, in the order they changed; empty when this feed cannot name
     * them, and a loop then passes over everything.
     */
    default java.util.Optional<java.util.Set<ObjectKey>> takeChanged() {
        return java.util.Optional.empty();
    }

    /**
     * The rest between two passes of a loop: {@code interval} at least, then until the version moves past {@code seen}
     * (read before the pass), {@code resync} in all.
     */
    default void rest(dev.arcsim.listener.time.Scheduler scheduler, long seen, Duration interval, Duration resync)
            throws InterruptedException {
        scheduler.sleep(interval);
        if (resync.compareTo(interval) > 0) {
            awaitChange(seen, resync.minus(interval));
        }
    }

    /** A loop's longest rest: {@code resync}, or less when something is due at {@code due}. */
    static Duration upTo(Duration resync, java.time.Instant now, java.time.Instant due) {
        Duration untilDue = due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
        return untilDue.compareTo(resync) < 0 ? untilDue : resync;
    }

    ChangeFeed NONE = new ChangeFeed() {
        @Override
        public long version() {
            return 0;
        }

        @Override
        public void awaitChange(long seen, Duration max) {
        }
    };
}
