package dev.arcsim.listener.app;

import dev.arcsim.listener.loop.ListenerEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Logs each listener event as one line; the scale set and session are in every line through the MDC. */
public final class LoggingEvents implements ListenerEvents {

    private static final Logger LOG = LoggerFactory.getLogger("dev.arcsim.listener");
    private static final Set<String> WARNINGS = Set.of("retry", "session-conflicted", "token-expired", "session-refresh-failed",
            "session-abandoned", "scale-set-not-found", "listener-error", "state-store-failed", "session-delete-failed");

    @Override
    public void emit(String type, Map<String, Object> fields) {
        String text = type + fields.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining());
        if (WARNINGS.contains(type)) {
            LOG.warn(text);
        } else if (type.equals("message-received") || type.equals("scaled") || type.equals("message-acked")) {
            LOG.debug(text);
        } else {
            LOG.info(text);
        }
    }
}
