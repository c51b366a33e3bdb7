package dev.arcsim.listener.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Everything logged in this JVM after {@link #install()}, formatted with its MDC and any exception text. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    private static final LogCapture INSTANCE = new LogCapture();
    private final List<String> lines = new ArrayList<>();

    public static synchronized LogCapture install() {
        if (!INSTANCE.isStarted()) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            INSTANCE.setContext(context);
            INSTANCE.setName("capture");
            INSTANCE.start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(INSTANCE);
        }
        return INSTANCE;
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        StringBuilder line = new StringBuilder(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap());
        for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        lines.add(line.toString());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
