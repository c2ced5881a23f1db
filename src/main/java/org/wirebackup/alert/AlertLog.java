package org.wirebackup.alert;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alert channel that is always on: one ERROR line per failure, with run, step, host, cause and a hint. */
public final class AlertLog implements Processor {

    public static final String HEADER = "WireBackupAlert";
    private static final Logger LOG = LoggerFactory.getLogger("org.wirebackup.alert");

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Alert alert = Alert.of(failure);
        exchange.getIn().setHeader(HEADER, alert);
        if (failure instanceof StepFailedException) {
            LOG.error(alert.text());
        } else {
            LOG.error(alert.text(), failure);
        }
    }
}
