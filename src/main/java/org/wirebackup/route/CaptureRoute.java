package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.source.CaptureStep;

/**
 * Capture: every source of the run streamed to the run directory. A failed source is recorded and alerted on its
 * own, and the others still run, so the run record shows the whole picture.
 */
public final class CaptureRoute extends EndpointRouteBuilder {

    @Override
    public void configure() {
        CaptureStep captureStep = getContext().getRegistry().findSingleByType(CaptureStep.class);

        from(direct(Endpoints.CAPTURE)).routeId("capture").routeConfigurationId(ErrorPolicy.ID)
                .split(simple("${body.captures()}"))
                    .to(direct(Endpoints.CAPTURE_SOURCE))
                .end();

        from(direct(Endpoints.CAPTURE_SOURCE)).routeId("capture-source").routeConfigurationId(ErrorPolicy.ID)
                .bean(captureStep, "capture");
    }
}
