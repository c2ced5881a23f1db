package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.alert.FreshnessWatchdog;
import org.wirebackup.config.BackupSettings;
import org.wirebackup.restore.drill.Drill;
import org.wirebackup.restore.drill.DrillSettings;

/**
 * The service's timers: the Quartz schedule ({@code backup.schedule.cron}) that starts a backup run, the drill's
 * ({@code backup.drill.cron}, when set), and the freshness watchdog ({@code backup.watchdog.*}).
 */
public final class ScheduleRoute extends EndpointRouteBuilder {

    public static final String TRIGGER = "schedule";

    @Override
    public void configure() {
        String cron = getContext().getRegistry().findSingleByType(BackupSettings.class).cron();
        from(quartz("wire-backup/backup").cron(cron.replace(' ', '+'))).routeId("schedule")
                .setBody(constant(TRIGGER))
                .to(direct(Endpoints.BACKUP));

        DrillSettings drill = getContext().getRegistry().findSingleByType(DrillSettings.class);
        if (drill.cron() != null) {
            // a drill takes the run lock: it never overlaps a backup run, and a backup trigger during it is skipped
            from(quartz("wire-backup/drill").cron(drill.cron().replace(' ', '+'))).routeId("drill-schedule")
                    .bean(getContext().getRegistry().findSingleByType(Drill.class), "scheduled()");
        }

        from(timer("freshness-watchdog").period("{{backup.watchdog.interval}}")).routeId("freshness-watchdog")
                .bean(getContext().getRegistry().findSingleByType(FreshnessWatchdog.class), "check()");
    }
}
