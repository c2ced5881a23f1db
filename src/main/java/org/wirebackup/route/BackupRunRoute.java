package org.wirebackup.route;

import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunLifecycle;

/** One backup run: start (lock, id, record) -> capture every source -> finish (status, record, unlock). */
public final class BackupRunRoute extends EndpointRouteBuilder {

    @Override
    public void configure() {
        RunLifecycle lifecycle = getContext().getRegistry().findSingleByType(RunLifecycle.class);

        from(direct(Endpoints.BACKUP)).routeId("backup-run").routeConfigurationId(ErrorPolicy.ID)
                .process(e -> e.getIn().setBody(lifecycle.begin(e.getIn().getBody(String.class))))
                .choice()
                    .when(e -> e.getIn().getBody(BackupRun.class).isSkipped())
                        .log("Backup skipped: ${body.skippedBecause}")
                    .otherwise()
                        .doTry()
                            .to(direct(Endpoints.CAPTURE))
                        .doFinally()
                            .process(e -> lifecycle.finish(e.getIn().getBody(BackupRun.class),
                                    e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)))
                        .end()
                .end();
    }
}
