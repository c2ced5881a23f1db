package org.wirebackup.route;

import java.util.concurrent.ExecutorService;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.archive.AggregateStep;
import org.wirebackup.archive.VerifyStep;
import org.wirebackup.destination.FanOutStep;
import org.wirebackup.run.DiskPreflight;
import org.wirebackup.run.Retention;

/**
 * The steps around capture: pre-flight (free disk), verify (every part, in parallel), aggregate (the full backup
 * with its manifest), its read-back check, the fan-out to destinations, and retention. Each failure is alerted with its step by the error policy.
 */
public final class CheckRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        ExecutorService pool = getContext().getRegistry().lookupByNameAndType(CaptureRoute.CAPTURE_POOL,
                ExecutorService.class);

        from(direct(Endpoints.PREFLIGHT)).routeId("preflight").routeConfigurationId(ErrorPolicy.ID)
                .bean(getContext().getRegistry().findSingleByType(DiskPreflight.class), "check");

        // the parts the capture did not verify already (it verifies each as soon as it is in)
        from(direct(Endpoints.VERIFY)).routeId("verify").routeConfigurationId(ErrorPolicy.ID)
                .split(simple("${body.parts()}")).parallelProcessing().executorService(pool)
                    .to(direct(Endpoints.VERIFY_PART))
                .end();

        from(direct(Endpoints.VERIFY_PART)).routeId("verify-part").routeConfigurationId(ErrorPolicy.ID)
                .bean(getContext().getRegistry().findSingleByType(VerifyStep.class), "verify");

        AggregateStep aggregateStep = getContext().getRegistry().findSingleByType(AggregateStep.class);
        from(direct(Endpoints.AGGREGATE)).routeId("aggregate").routeConfigurationId(ErrorPolicy.ID)
                .bean(aggregateStep, "aggregate");

        from(direct(Endpoints.CHECK_FULL_BACKUP)).routeId("check-full-backup").routeConfigurationId(ErrorPolicy.ID)
                .bean(aggregateStep, "checkFullBackup");

        from(direct(Endpoints.FAN_OUT)).routeId("fan-out").routeConfigurationId(ErrorPolicy.ID)
                .bean(getContext().getRegistry().findSingleByType(FanOutStep.class), "fanOut");

        from(direct(Endpoints.RETENTION)).routeId("retention").routeConfigurationId(ErrorPolicy.ID)
                .bean(getContext().getRegistry().findSingleByType(Retention.class), "apply");
    }
}
