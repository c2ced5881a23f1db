package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.config.BackupSettings;

/** The Quartz schedule ({@code backup.schedule.cron}) that starts a backup run. */
public final class ScheduleRoute extends EndpointRouteBuilder {

    public static final String TRIGGER = "schedule";

    @Override
    public void configure() {
        String cron = getContext().getRegistry().findSingleByType(BackupSettings.class).cron();
        from(quartz("wire-backup/backup").cron(cron.replace(' ', '+'))).routeId("schedule")
                .setBody(constant(TRIGGER))
                .to(direct(Endpoints.BACKUP));
    }
}
