package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.run.RunStatus;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/** The `run` service: Quartz starts runs on the cron; runs never overlap; a trigger during a run is skipped. */
class ScheduledRunTest {

    @TempDir
    Path tmp;

    @Test
    void triggersDuringARunAreSkippedAndLoggedAndRunsNeverOverlap() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp);
             EmbeddedSshServer slowHost = slowHost(wire, 3);
             LogCapture lifecycle = LogCapture.of("org.wirebackup.run")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "a: 1\n");
            Files.writeString(wire.ssh.knownHosts, slowHost.knownHostsLine() + "\n");
            wire.set("backup.wire-server.host", wire.ssh.target().user() + "@127.0.0.1:" + slowHost.port());
            wire.set("backup.schedule.cron", "* * * * * ?"); // every second, while a capture takes over 3 s

            Main main = WireBackupApplication.camelMain(wire.writeSettings(), true);
            main.start();
            try {
                waitFor(() -> completedRuns(wire).size() >= 2, 30);
            } finally {
                main.stop();
            }

            List<RunRecord> runs = completedRuns(wire);
            assertThat(runs).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.OK));
            assertThat(runs).extracting(RunRecord::trigger).containsOnly("schedule");
            for (int i = 1; i < runs.size(); i++) {
                assertThat(Instant.parse(runs.get(i).startedAt()))
                        .as("run %s starts after %s ended", runs.get(i).runId(), runs.get(i - 1).runId())
                        .isAfterOrEqualTo(Instant.parse(runs.get(i - 1).finishedAt()));
            }
            assertThat(lifecycle.messages())
                    .anyMatch(m -> m.matches("Backup trigger 'schedule' skipped: run \\d{8}T\\d{6}Z is still in progress"));
        }
    }

    @Test
    void aBackupAskedForDuringARunIsSkippedWithTheRunningOneNamed() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp); EmbeddedSshServer slowHost = slowHost(wire, 2)) {
            Files.writeString(wire.ssh.knownHosts, slowHost.knownHostsLine() + "\n");
            wire.set("backup.wire-server.host", wire.ssh.target().user() + "@127.0.0.1:" + slowHost.port());

            try (WireBackupApplication app = WireBackupApplication.startOnce(wire.writeSettings())) {
                CompletableFuture<BackupRun> first = CompletableFuture.supplyAsync(() -> app.backupNow("first"));
                waitFor(() -> Files.isDirectory(wire.backupDir.resolve("runs"))
                        && !new RunRecordStore(wire.backupDir).all().isEmpty(), 10);
                BackupRun second = app.backupNow("second");

                assertThat(second.isSkipped()).isTrue();
                assertThat(second.skippedBecause()).matches("run \\d{8}T\\d{6}Z is still in progress");
                assertThat(first.get(30, TimeUnit.SECONDS).finalRecord().status()).isEqualTo(RunStatus.OK);
            }
            assertThat(new RunRecordStore(wire.backupDir).all()).hasSize(1);
        }
    }

    /** A host that takes this long before each command starts. */
    private static EmbeddedSshServer slowHost(TestInstallation wire, int seconds) throws Exception {
        return EmbeddedSshServer.start(0, wire.ssh.hostKey, java.util.Set.of(wire.ssh.clientKey.getPublic()),
                wire.root, List.of("/bin/sh", "-c", "sleep " + seconds + "; exec \"$@\"", "slow-host"));
    }

    private static List<RunRecord> completedRuns(TestInstallation wire) throws Exception {
        return new RunRecordStore(wire.backupDir).all().stream().filter(r -> r.status() != RunStatus.RUNNING).toList();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }
}
