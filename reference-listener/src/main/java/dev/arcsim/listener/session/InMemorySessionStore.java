package dev.arcsim.listener.session;

import java.util.Optional;

/** A store that outlives one listener but not the process: for tests and the in-process demo. */
public final class InMemorySessionStore implements SessionStore {

    private Stored stored;

    @Override
    public synchronized Optional<Stored> load() {
        return Optional.ofNullable(stored);
    }

    @Override
    public synchronized void save(Stored state) {
        stored = state;
    }

    @Override
    public synchronized void clear() {
        stored = null;
    }
}
