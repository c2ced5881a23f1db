package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.AdvisedRun;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/** A run holds its lock until retention is done; a corrupt run record never blocks a run or check. */
class RunRecordsAndLockTest {

    @TempDir
    Path tmp;

    @Test
    void theRunLockIsHeldWhileRetentionRuns() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            AtomicReference<Boolean> freeDuringRetention = new AtomicReference<>();
            BackupRun run = AdvisedRun.run(wire.writeSettings(), "retention", (context, route) -> route.weaveAddFirst()
                    .process(e -> {
                        var lock = RunLock.tryAcquire(wire.backupDir);
                        freeDuringRetention.set(lock.isPresent());
                        if (lock.isPresent()) {
                            lock.get().close();
                        }
                    }));

            assertThat(run.finalRecord().status()).isEqualTo(RunStatus.OK);

            assertThat(freeDuringRetention.get()).as("another run could take the lock during retention").isFalse();
            assertThat(RunLock.tryAcquire(wire.backupDir)).as("released after it").isPresent();
        }
    }

    @Test
    void aCorruptRunRecordIsSkippedWithAnAlertNamingItAndBlocksNothing() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire")); LogCapture alerts = LogCapture.alerts()) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path corrupt = Files.createDirectories(wire.backupDir.resolve("runs/20200101T000000Z")).resolve("run.json");
            Files.writeString(corrupt, "{\"runId\": \"20200101T000000Z\", \"status\": \"o");

            Cli.Result run = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(alerts.text()).contains("run record " + corrupt + " cannot be read and is skipped");
            Cli.Result check = Cli.run("check", "--backup-dir", wire.backupDir.toString());
            assertThat(check.exitCode()).as(check.out()).isZero();
            assertThat(check.out()).startsWith("WIRE-BACKUP OK");
        }
    }
}
