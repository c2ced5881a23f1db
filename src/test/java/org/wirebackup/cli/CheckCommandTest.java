package org.wirebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.run.RunIds;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.run.RunStatus;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TestInstallation;

/** {@code check}, the Nagios/Icinga plugin, over run records as the runs write them. */
class CheckCommandTest {

    @TempDir
    Path tmp;

    @Test
    void noBackupsIsUnknown() {
        Cli.Result result = Cli.run("check", "--backup-dir", tmp.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).startsWith("WIRE-BACKUP UNKNOWN - no backup run recorded under " + tmp);
    }

    @Test
    void inAClusterWhoseDatabaseCannotBeReachedItIsUnknownNamingIt() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        new org.wirebackup.cluster.ClusterMarker("jdbc:postgresql://127.0.0.1:" + closedPort + "/wire_backup",
                "wire_backup", "wire-1").write(tmp);
        record(Duration.ofMinutes(5), RunStatus.OK); // this host's own record does not answer for the cluster

        Cli.Result result = Cli.run("check", "--backup-dir", tmp.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).startsWith("WIRE-BACKUP UNKNOWN - the cluster's history cannot be read: ")
                .contains("127.0.0.1:" + closedPort);
    }

    @Test
    void aFreshBackupIsOkWithPerfdata() throws Exception {
        record(Duration.ofMinutes(10), RunStatus.OK);

        Cli.Result result = Cli.run("check", "--backup-dir", tmp.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("WIRE-BACKUP OK - newest good backup ")
                .containsPattern("\\| age=60\\ds;4500;7200;0 size=4096B duration=42\\.0s");
    }

    @Test
    void staleBackupsAreWarningThenCritical() throws Exception {
        record(Duration.ofMinutes(90), RunStatus.OK);
        assertThat(Cli.run("check", "--backup-dir", tmp.toString()).exitCode()).isEqualTo(1);

        Cli.Result critical = Cli.run("check", "--backup-dir", tmp.toString(), "--warning", "30m", "--critical", "80m");
        assertThat(critical.exitCode()).isEqualTo(2);
        assertThat(critical.out()).startsWith("WIRE-BACKUP CRITICAL - newest good backup").contains("older than 80m");
    }

    @Test
    void aFailedLatestRunWarnsAndNoGoodBackupAtAllIsCritical() throws Exception {
        record(Duration.ofMinutes(70), RunStatus.FAILED);
        Cli.Result none = Cli.run("check", "--backup-dir", tmp.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.out()).startsWith("WIRE-BACKUP CRITICAL - no good backup at all");

        record(Duration.ofMinutes(40), RunStatus.OK);
        record(Duration.ofMinutes(5), RunStatus.FAILED);
        Cli.Result failed = Cli.run("check", "--backup-dir", tmp.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).startsWith("WIRE-BACKUP WARNING - latest run ").contains("failed: capture failed");
    }

    @Test
    void aRealRunIsOkAndTheDirectoryComesFromTheSettingsFile() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();

            Cli.Result result = Cli.run("check", "--config", settings.toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(result.out()).startsWith("WIRE-BACKUP OK - newest good backup");
        }
    }

    private void record(Duration finishedAgo, RunStatus status) throws Exception {
        Instant finished = Instant.now().minus(finishedAgo);
        Instant started = finished.minusSeconds(42);
        String id = RunIds.of(started);
        RunRecordStore store = new RunRecordStore(tmp);
        Files.createDirectories(store.runDir(id));
        RunRecord.FullBackupRecord backup = status == RunStatus.OK
                ? new RunRecord.FullBackupRecord(tmp.resolve("full-backup-" + id + ".tar").toString(), 4096, "0".repeat(64), false)
                : null;
        store.write(new RunRecord(RunRecord.FORMAT_VERSION, id, status, "schedule", started.toString(),
                finished.toString(), 42_000L, "test", store.runDir(id).toString(), 4096, List.of(), backup, List.of(),
                status == RunStatus.OK ? null : "capture failed: wire-server unreachable"));
    }

    @Test
    void aUsageErrorIsUnknownWithExit3AsNagiosExpects() {
        Cli.Result result = Cli.run("check", "--backup-dir", tmp.toString(), "--no-such-option");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).startsWith("WIRE-BACKUP UNKNOWN - usage: Unknown option: '--no-such-option'");
    }

    @Test
    void aBackupDirectoryThatDoesNotExistIsNamed() {
        Cli.Result result = Cli.run("check", "--backup-dir", tmp.resolve("nope").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).startsWith("WIRE-BACKUP UNKNOWN - backup directory " + tmp.resolve("nope")
                + " does not exist");
    }
}
