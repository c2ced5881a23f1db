package org.wirebackup.route;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.wirebackup.alert.FreshnessWatchdog;
import org.wirebackup.cluster.ClusterCoordinator;
import org.wirebackup.run.RunMetrics;
import org.wirebackup.config.BackupSettings;
import org.wirebackup.restore.drill.Drill;
import org.wirebackup.restore.drill.DrillSettings;

/**
 * The service's timers: the Quartz schedule ({@code backup.schedule.cron}) that starts a backup run, the drill's
 * ({@code backup.drill.cron}, when set), the freshness watchdog ({@code backup.watchdog.*}), and with a cluster its
 * check-in (the history written, locks still held, runs of dead instances closed).
 */
public final class ScheduleRoute extends EndpointRouteBuilder {

    public static final String TRIGGER = "schedule";

    @Override
    public void configure() {
        String cron = getContext().getRegistry().findSingleByType(BackupSettings.class).cron();
        // not stateful: a firing during a run goes to any instance, whose run lock (local, and the cluster's) skips it
        // with a log line instead of queueing it behind the run; a firing missed (every instance down, the database
        // away) fires once as soon as one can (cron misfire: fire once now)
        from(quartz("wire-backup/backup").cron(cron.replace(' ', '+'))
                .advanced().triggerParameters("misfireInstruction", 1)).routeId("schedule")
                .setBody(constant(TRIGGER))
                .to(direct(Endpoints.BACKUP));

        DrillSettings drill = getContext().getRegistry().findSingleByType(DrillSettings.class);
        if (drill.cron() != null) {
            // a drill takes the run lock: it never overlaps a backup run, and a backup trigger during it is skipped
            from(quartz("wire-backup/drill").cron(drill.cron().replace(' ', '+'))
                    .advanced().triggerParameters("misfireInstruction", 1)).routeId("drill-schedule")
                    .bean(getContext().getRegistry().findSingleByType(Drill.class), "scheduled()");
        }

        ClusterCoordinator cluster = getContext().getRegistry().findSingleByType(ClusterCoordinator.class);
        if (cluster != null) {
            from(timer("cluster-check-in").period(cluster.checkinInterval().toMillis())).routeId("cluster-check-in")
                    .bean(cluster, "tick()");
        }

        var watchdog = from(timer("freshness-watchdog").period("{{backup.watchdog.interval}}"))
                .routeId("freshness-watchdog")
                .bean(getContext().getRegistry().findSingleByType(FreshnessWatchdog.class), "check()");
        if (cluster != null) {
            // the gauges show the other instances' runs too; read with the watchdog, not at every check-in
            watchdog.bean(getContext().getRegistry().findSingleByType(RunMetrics.class), "refresh()");
        }
    }
}
