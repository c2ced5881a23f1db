package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.alert.FreshnessWatchdog;
import org.wirebackup.config.BackupSettings;

/**
 * The service's timers: the Quartz schedule ({@code backup.schedule.cron}) that starts a backup run, and the
 * freshness watchdog ({@code backup.watchdog.*}).
 */
public final class ScheduleRoute extends EndpointRouteBuilder {

    public static final String TRIGGER = "schedule";

    @Override
    public void configure() {
        String cron = getContext().getRegistry().findSingleByType(BackupSettings.class).cron();
        from(quartz("wire-backup/backup").cron(cron.replace(' ', '+'))).routeId("schedule")
                .setBody(constant(TRIGGER))
                .to(direct(Endpoints.BACKUP));

        from(timer("freshness-watchdog").period("{{backup.watchdog.interval}}")).routeId("freshness-watchdog")
                .bean(getContext().getRegistry().findSingleByType(FreshnessWatchdog.class), "check()");
    }
}
