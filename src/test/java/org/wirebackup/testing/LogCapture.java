package org.wirebackup.testing;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Collects what a logger (and its children) writes while open. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private ch.qos.logback.classic.Level previousLevel;
    private boolean levelChanged;

    private LogCapture(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Also what the logger writes at DEBUG: for a library that warns once, then logs the same at debug level. */
    public static LogCapture ofAllLevels(String loggerName) {
        LogCapture capture = new LogCapture(loggerName);
        capture.previousLevel = capture.logger.getLevel();
        capture.levelChanged = true;
        capture.logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        return capture;
    }

    /** The alert route's always-on channel. */
    public static LogCapture alerts() {
        return of("org.wirebackup.alert");
    }

    public synchronized List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    public String text() {
        return String.join("\n", messages());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        if (levelChanged) {
            logger.setLevel(previousLevel);
        }
    }
}
