package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;

/**
 * A restore holds the run lock from its first step to its record: a backup meanwhile is skipped and says which
 * restore holds it (it would capture the half-restored system, and its retention could remove the backup being read),
 * and a second restore is refused before it changes anything.
 */
class RestoreLockTest {

    @TempDir
    Path tmp;

    @Test
    void aBackupDuringARestoreIsSkippedNamingItAndASecondRestoreIsRefused() throws Exception {
        Path root = tmp.resolve("wire");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path extracting = bin.resolve("extracting");
        Path release = bin.resolve("release");
        // the restore's tar -x waits on the host until the test lets it go on
        Path tar = bin.resolve("tar");
        Files.writeString(tar, "#!/bin/sh\ncase \"$*\" in *-xpf*)\n  touch " + extracting + "\n"
                + "  i=0; while [ ! -e " + release + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done;;\nesac\n"
                + "exec /usr/bin/tar \"$@\"\n");
        Files.setPosixFilePermissions(tar, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestInstallation wire = TestInstallation.create(root, SshFixture.startWithPathFirst(root.resolve("ssh"),
                bin), "wire-host/home/wire/wire-server"); LogCapture runs = LogCapture.of("org.wirebackup.run")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Files.delete(wire.wireServerFolder.resolve("values.yaml"));

            CompletableFuture<Cli.Result> restore = CompletableFuture.supplyAsync(() -> Cli.run("restore", runId,
                    "--yes", "--config", settings.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(extracting) && System.nanoTime() < deadline && !restore.isDone()) {
                Thread.sleep(50);
            }
            assertThat(extracting).as("the restore is extracting").exists();

            Cli.Result backup = Cli.run("backup", "--config", settings.toString());
            Cli.Result second = Cli.run("restore", runId, "--yes", "--config", settings.toString());
            Files.writeString(release, "");
            Cli.Result restored = restore.get(60, TimeUnit.SECONDS);

            assertThat(backup.exitCode()).isNotZero();
            assertThat(runs.text()).contains("skipped: a restore (" + runId + ") (pid "
                    + ProcessHandle.current().pid() + ") is in progress");
            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.err()).contains("restore: refused: a restore (" + runId + ") (pid",
                    "is in progress in " + wire.backupDir, "nothing was changed");
            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
            assertThat(wire.wireServerFolder.resolve("values.yaml")).hasContent("brig: {}\n");
            try (var files = Files.list(wire.backupDir)) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("full-backup-.*\\.tar")))
                        .as("no backup of the half-restored system").containsExactly("full-backup-" + runId + ".tar");
            }
        }
    }
}
