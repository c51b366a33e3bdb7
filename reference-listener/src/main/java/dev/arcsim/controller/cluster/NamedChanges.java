package dev.arcsim.controller.cluster;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A change feed that also names what changed, as a watch does: a store reports each written or deleted object to
 * {@link #changed}, and the one loop that owns this feed takes them before a pass and looks only at those. Waiting
 * goes through the shared feed underneath.
 */
public final class NamedChanges implements ChangeFeed {

    private final ChangeFeed underlying;
    private final Set<ObjectKey> changed = new LinkedHashSet<>();

    public NamedChanges(ChangeFeed underlying) {
        this.underlying = underlying;
    }

    public synchronized void changed(ObjectKey key) {
        changed.add(key);
    }

    @Override
    public synchronized Optional<Set<ObjectKey>> takeChanged() {
        Set<ObjectKey> out = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(changed));
        changed.clear();
        return Optional.of(out);
    }

    @Override
    public long version() {
        return underlying.version();
    }

    @Override
    public void awaitChange(long seen, Duration max) throws InterruptedException {
        underlying.awaitChange(seen, max);
    }
}
