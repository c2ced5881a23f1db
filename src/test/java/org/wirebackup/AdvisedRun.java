package org.wirebackup;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.main.Main;
import org.wirebackup.run.BackupRun;

/**
 * One backup run through the application's own routes, with a fault injected into one of them by Camel's
 * AdviceWith (a part damaged before verify, an exception before the fan-out, ...). The checks are the application's.
 */
public final class AdvisedRun {

    /** What to change in the route, with the running application's context at hand (e.g. its beans). */
    @FunctionalInterface
    public interface Advice {
        void advise(CamelContext context, AdviceWithRouteBuilder route) throws Exception;
    }

    private AdvisedRun() {
    }

    public static BackupRun run(Path settings, String routeId, Advice advice) throws Exception {
        Main main = WireBackupApplication.camelMain(settings, false);
        main.start();
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            CamelContext context = main.getCamelContext();
            org.apache.camel.builder.AdviceWith.adviceWith(context, routeId, route -> advice.advise(context, route));
            return template.requestBody("direct:backup", "test", BackupRun.class);
        } finally {
            main.stop();
        }
    }
}
