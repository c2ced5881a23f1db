package org.wirebackup.route;

import java.util.concurrent.ExecutorService;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.run.BackupRun;
import org.wirebackup.source.CaptureStep;

/**
 * Capture: every source of the run streamed to the run directory, in parallel, and each part verified as soon as it is
 * in. A failed source is recorded and alerted on its
 * own, and the others still run, so the run record shows the whole picture.
 */
public final class CaptureRoute extends EndpointRouteBuilder {

    /** The thread pool sources capture on: {@code backup.capture.parallelism} threads. */
    public static final String CAPTURE_POOL = "capturePool";

    @Override
    public void configure() {
        CaptureStep captureStep = getContext().getRegistry().findSingleByType(CaptureStep.class);
        ExecutorService pool = getContext().getRegistry().lookupByNameAndType(CAPTURE_POOL, ExecutorService.class);

        from(direct(Endpoints.CAPTURE)).routeId("capture").routeConfigurationId(ErrorPolicy.ID)
                .split(simple("${body.captures()}")).parallelProcessing().executorService(pool)
                    .to(direct(Endpoints.CAPTURE_SOURCE))
                .end()
                .bean(captureStep, "requireEverySource");

        // each part is verified as soon as it is captured, beside the captures still under way
        from(direct(Endpoints.CAPTURE_SOURCE)).routeId("capture-source").routeConfigurationId(ErrorPolicy.ID)
                .bean(captureStep, "capture")
                .process(e -> {
                    BackupRun.SourceCapture capture = e.getIn().getBody(BackupRun.SourceCapture.class);
                    e.getIn().setBody(capture.run().capturedPart(capture.source().name()));
                })
                .to(direct(Endpoints.VERIFY_PART));
    }
}
