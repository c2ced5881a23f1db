package org.wirebackup.alert;

import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.run.RunMetrics;

/** Sends a notice to every configured channel; a channel that fails is logged and never stops the others. */
public final class AlertDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger("org.wirebackup.alert");

    private final List<AlertChannel> channels;
    private final RunMetrics metrics;

    public AlertDispatcher(List<AlertChannel> channels, RunMetrics metrics) {
        this.channels = List.copyOf(channels);
        this.metrics = metrics;
    }

    /** The alert route's last step: the alert the log channel has just written, to every other channel. */
    public void dispatch(Exchange exchange) {
        Alert alert = exchange.getIn().getHeader(AlertLog.HEADER, Alert.class);
        if (alert != null) {
            metrics.failure();
            send(Notice.of(alert));
        }
    }

    public void send(Notice notice) {
        for (AlertChannel channel : channels) {
            try {
                channel.send(notice);
            } catch (Exception e) {
                LOG.warn("Alert channel {} failed: {} (the alert was: {})", channel.name(), whatFailed(e), notice.subject());
            }
        }
    }

    /** The outer message says where ("Could not connect to SMTP host"); the innermost cause often says why (TLS trust). */
    static String whatFailed(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String inner = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e || outer.contains(inner) ? outer : outer + ": " + inner;
    }
}
