package org.wirebackup;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * Camel's own start and stop lines ("is starting", "Properties location", "Started route", the shutdown hook's)
 * say nothing an operator acts on, and came before a settings error's one line: they are logged only at WARN while
 * Camel starts, and for the one-shot commands throughout; the {@code run} service gets them back once started.
 */
final class CamelStartupLogging {

    private static final String CAMEL = "org.apache.camel";

    private CamelStartupLogging() {
    }

    static void quiet() {
        if (LoggerFactory.getLogger(CAMEL) instanceof Logger camel) {
            camel.setLevel(Level.WARN);
        }
    }

    static void asConfigured() {
        if (LoggerFactory.getLogger(CAMEL) instanceof Logger camel) {
            camel.setLevel(null);
        }
    }
}
