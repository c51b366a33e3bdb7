package dev.arcsim.listener.session;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a listener remembers its session id and the last message it handled, outside the process, so a listener
 * that replaces a killed one can delete the orphaned session (no 409) and resume without reprocessing.
 */
public interface SessionStore {

    record Stored(String sessionId, long lastMessageId, String owner) {
    }

    Optional<Stored> load() throws IOException;

    void save(Stored state) throws IOException;

    void clear() throws IOException;

    /** Keeps nothing: ARC's behaviour, where lastMessageId lives in memory only. */
    static SessionStore none() {
        return new SessionStore() {
            @Override
            public Optional<Stored> load() {
                return Optional.empty();
            }

            @Override
            public void save(Stored state) {
            }

            @Override
            public void clear() {
            }
        };
    }
}
