package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.alert.AlertDispatcher;
import org.wirebackup.alert.AlertLog;

/** Every failure ends here, with run id, step, host and cause: the log always, then webhook and email if set. */
public final class AlertRoute extends EndpointRouteBuilder {

    @Override
    public void configure() {
        AlertDispatcher channels = getContext().getRegistry().findSingleByType(AlertDispatcher.class);
        from(direct(Endpoints.ALERT)).routeId("alert")
                .process(new AlertLog())
                .bean(channels, "dispatch");
    }
}
