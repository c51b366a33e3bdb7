package dev.arcsim.fake.state;

import java.time.Instant;
import java.util.Map;

/**
 * Hears every change the service makes to its state, in order, at the service's time: jobs queued, offered,
 * acquired, assigned, started, completed or canceled; sessions created, conflicted or ended (and why); runners
 * registered and removed. Called under the state's lock, so it must be quick and must not call back into the state.
 */
@FunctionalInterface
public interface StateObserver {

    void on(Instant at, String type, Map<String, Object> fields);

    StateObserver NONE = (at, type, fields) -> { };
}
