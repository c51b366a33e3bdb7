package dev.arcsim.controller.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a loop's next pass looks at, as a controller's work queue decides: the objects that changed (when its feed
 * names them), those it asked to see again at a time (a backoff running out, a deregistration refused while a job
 * runs), and now and then everything, so nothing waits forever on a change that was missed. A loop whose feed
 * cannot name changes passes over everything every time, as before.
 */
public final class PassPlan {

    private final ChangeFeed feed;
    private final Duration fullEvery;
    private final Map<ObjectKey, Instant> again = new LinkedHashMap<>();
    private Instant nextFull = Instant.MIN;
    private final java.util.TreeSet<Instant> passBy = new java.util.TreeSet<>();

    /** @param fullEvery how often a pass looks at everything even though the feed names changes */
    public PassPlan(ChangeFeed feed, Duration fullEvery) {
        this.feed = feed;
        this.fullEvery = fullEvery;
    }

    /** The next pass: empty for everything, else the keys to look at (changed, or due again). */
    public Optional<Set<ObjectKey>> next(Instant now) {
        Optional<Set<ObjectKey>> changed = feed.takeChanged();
        if (changed.isEmpty() || !now.isBefore(nextFull)) {
            nextFull = now.plus(fullEvery);
            again.clear();
            passBy.clear();
            return Optional.empty();
        }
        Set<ObjectKey> keys = new LinkedHashSet<>(changed.get());
        passBy.headSet(now, true).clear();
        for (var it = again.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!now.isBefore(e.getValue())) {
                keys.add(e.getKey());
                it.remove();
            }
        }
        return Optional.of(keys);
    }

    /**
     * What changed since {@link #next} began this pass (the pass's own writes among them), for a later stage of the
     * same pass: a pass over everything would have seen them, so an incremental one must too.
     */
    public Set<ObjectKey> changedDuringPass() {
        return feed.takeChanged().orElse(Set.of());
    }

    /** Looks at {@code key} again no later than {@code at}, changed or not. */
    public void again(ObjectKey key, Instant at) {
        again.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    /** Passes again no later than {@code at}, for something no object's change will announce (a grace period running out). */
    public void passBy(Instant at) {
        passBy.add(at);
    }

    /**
     * When the next pass is due with nothing changed: the earliest key due again, the time a pass asked for, or the
     * next full pass.
     */
    public Instant due() {
        Instant due = !passBy.isEmpty() && passBy.first().isBefore(nextFull) ? passBy.first() : nextFull;
        for (Instant at : again.values()) {
            if (at.isBefore(due)) {
                due = at;
            }
        }
        return due;
    }
}
