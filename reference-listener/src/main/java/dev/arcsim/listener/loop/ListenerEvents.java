package dev.arcsim.listener.loop;

import java.util.Map;

/**
 * Where the listener reports what it does and decides: session created or conflicted, retries with their delay and
 * reason, scale patches, exits. The default sink logs; a scenario records them into its history.
 */
public interface ListenerEvents {

    void emit(String type, Map<String, Object> fields);

    static ListenerEvents none() {
        return (type, fields) -> { };
    }

    default ListenerEvents andThen(ListenerEvents next) {
        return (type, fields) -> {
            emit(type, fields);
            next.emit(type, fields);
        };
    }
}
