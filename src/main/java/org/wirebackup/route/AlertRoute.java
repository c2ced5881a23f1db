package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.alert.AlertLog;

/** Every failure ends here, with run id, step, host and cause. */
public final class AlertRoute extends EndpointRouteBuilder {

    @Override
    public void configure() {
        from(direct(Endpoints.ALERT)).routeId("alert")
                .process(new AlertLog());
    }
}
