package org.wirebackup.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.WireBackupApplication;
import org.wirebackup.run.RunIds;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.run.RunStatus;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/** The watchdog, in the running application, judged at chosen moments: once per incident, again after a recovery. */
class FreshnessWatchdogTest {

    @TempDir
    Path tmp;

    @Test
    void alertsOncePerStaleIncidentAndAgainOnlyAfterARecovery() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
             LogCapture alerts = LogCapture.alerts()) {
            wire.set("backup.watchdog.max-age", "75m");
            Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
            RunRecordStore store = new RunRecordStore(wire.backupDir);
            record(store, t0, RunStatus.OK);

            try (WireBackupApplication app = WireBackupApplication.startOnce(wire.writeSettings())) {
                FreshnessWatchdog watchdog = app.context().getRegistry().findSingleByType(FreshnessWatchdog.class);

                watchdog.check(t0.plus(Duration.ofMinutes(30)));
                assertThat(staleAlerts(alerts)).isZero();

                record(store, t0.plus(Duration.ofMinutes(60)), RunStatus.FAILED); // a failed run refreshes nothing
                watchdog.check(t0.plus(Duration.ofMinutes(80)));
                watchdog.check(t0.plus(Duration.ofMinutes(90)));
                assertThat(staleAlerts(alerts)).as("one alert for the incident").isEqualTo(1);
                assertThat(alerts.text()).contains("step=freshness", "finished 80 minutes ago, more than 75 minutes");
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        wire.backupDir.resolve(".freshness-incident")))).as("the incident file is private")
                        .isEqualTo("rw-------");

                record(store, t0.plus(Duration.ofMinutes(95)), RunStatus.OK);
                watchdog.check(t0.plus(Duration.ofMinutes(100)));
                watchdog.check(t0.plus(Duration.ofMinutes(200)));
                assertThat(staleAlerts(alerts)).as("a new incident after the recovery").isEqualTo(2);
            }
            try (WireBackupApplication app = WireBackupApplication.startOnce(wire.writeSettings())) {
                app.context().getRegistry().findSingleByType(FreshnessWatchdog.class).check(t0.plus(Duration.ofMinutes(210)));
                assertThat(staleAlerts(alerts)).as("a restart does not alert again for the same incident").isEqualTo(2);
            }
        }
    }

    private static long staleAlerts(LogCapture alerts) {
        return alerts.messages().stream().filter(m -> m.contains("step=freshness")).count();
    }

    private static void record(RunRecordStore store, Instant finished, RunStatus status) throws Exception {
        Instant started = finished.minusSeconds(30);
        String id = RunIds.of(started);
        Files.createDirectories(store.runDir(id));
        store.write(new RunRecord(RunRecord.FORMAT_VERSION, id, status, "schedule", started.toString(), finished.toString(),
                30_000L, "test", store.runDir(id).toString(), 1, List.of(),
                status == RunStatus.OK ? new RunRecord.FullBackupRecord("/x/full-backup-" + id + ".tar", 1, "0".repeat(64), false) : null,
                List.of(), status == RunStatus.OK ? null : "capture failed"));
    }
}
