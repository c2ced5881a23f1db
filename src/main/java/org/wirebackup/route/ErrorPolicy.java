package org.wirebackup.route;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The one error policy: every failure goes to the alert route (dead-letter style, so route templates and kamelets
 * that opt in inherit it too). Routes opt in with {@code routeConfigurationId(ErrorPolicy.ID)}.
 */
public final class ErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "wire-backup-error-policy";

    @Override
    public void configuration() {
        routeConfiguration(ID).errorHandler(deadLetterChannel("direct:" + Endpoints.ALERT)
                .logExhausted(false)
                .logStackTrace(false));
        // routes without a configuration of their own (destinations, operator routes) hand failures back to
        // their caller: the fan-out step retries, records and alerts them, without a stack trace per attempt
        routeConfiguration().errorHandler(defaultErrorHandler().logExhausted(false));
    }
}
