package org.wirebackup.alert;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.wirebackup.route.Endpoints;

/** Raises an alert from code outside a route (the fan-out step, the watchdog): through the same alert route. */
public final class Alerts {

    private Alerts() {
    }

    public static void raise(CamelContext context, StepFailedException failure) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.send("direct:" + Endpoints.ALERT,
                    exchange -> exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
