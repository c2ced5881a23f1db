package org.wirebackup.cli;

import org.wirebackup.config.ConfigurationException;

/** Turns whatever stopped start-up into one line an operator can act on. */
final class StartupFailure {

    private StartupFailure() {
    }

    static ConfigurationException configurationCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }

    static boolean isConfiguration(Throwable e) {
        return configurationCause(e) != null;
    }

    static String describe(Throwable e) {
        ConfigurationException config = configurationCause(e);
        if (config != null) {
            return "wire-backup: configuration error: " + config.getMessage();
        }
        StringBuilder text = new StringBuilder("wire-backup: ").append(e.getMessage() == null ? e : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\n  caused by ").append(cause.getClass().getSimpleName()).append(": ")
                    .append(cause.getMessage());
        }
        return text.toString();
    }
}
