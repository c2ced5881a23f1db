package org.wirebackup.route;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.alert.Alerts;
import org.wirebackup.alert.RecoveryNotice;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunLifecycle;
import org.wirebackup.source.CaptureStep;

/**
 * One backup run: start (lock, id, record) -> pre-flight -> capture every source -> verify every part -> aggregate
 * the full backup -> read it back -> fan out verified copies to every destination -> wait for the sources' clean-ups
 * -> finish (status, record)
 * -> retention -> unlock. A step that fails stops the steps after it; a failed destination makes the run partial.
 */
public final class BackupRunRoute extends EndpointRouteBuilder {

    @Override
    public void configure() {
        RunLifecycle lifecycle = getContext().getRegistry().findSingleByType(RunLifecycle.class);
        CaptureStep captureStep = getContext().getRegistry().findSingleByType(CaptureStep.class);
        Predicate proceeding = e -> run(e).proceeding();

        from(direct(Endpoints.BACKUP)).routeId("backup-run").routeConfigurationId(ErrorPolicy.ID)
                .process(e -> e.getIn().setBody(lifecycle.begin(e.getIn().getBody(String.class))))
                .choice()
                    .when(e -> run(e).isSkipped())
                        .log("Backup skipped: ${body.skippedBecause}")
                    .otherwise()
                        .doTry()
                            .to(direct(Endpoints.RUN_AND_RECORD))
                            // before retention, which may prune the failed runs this compares with
                            .bean(getContext().getRegistry().findSingleByType(RecoveryNotice.class), "afterRun")
                            .to(direct(Endpoints.RETENTION))
                        .doFinally()
                            // the lock is held until retention is done: no run starts while this one cleans up
                            .process(e -> lifecycle.release(run(e)))
                        .end()
                .end();

        from(direct(Endpoints.RUN_AND_RECORD)).routeId("run-and-record").routeConfigurationId(ErrorPolicy.ID)
                .doTry()
                    .to(direct(Endpoints.PIPELINE))
                .doFinally()
                    // one processor: a doFinally that holds more stops after the first when the pipeline failed
                    .process(e -> {
                        captureStep.awaitCleanups(run(e), failure -> Alerts.raise(getContext(), failure));
                        lifecycle.finish(run(e), e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
                    })
                .end();

        from(direct(Endpoints.PIPELINE)).routeId("pipeline").routeConfigurationId(ErrorPolicy.ID)
                .to(direct(Endpoints.PREFLIGHT))
                .filter(proceeding).to(direct(Endpoints.CAPTURE)).end()
                .filter(proceeding).to(direct(Endpoints.VERIFY)).end()
                .filter(proceeding).to(direct(Endpoints.AGGREGATE)).end()
                .filter(proceeding).to(direct(Endpoints.CHECK_FULL_BACKUP)).end()
                .filter(proceeding).to(direct(Endpoints.FAN_OUT)).end();
    }

    private static BackupRun run(Exchange exchange) {
        return exchange.getIn().getBody(BackupRun.class);
    }
}
