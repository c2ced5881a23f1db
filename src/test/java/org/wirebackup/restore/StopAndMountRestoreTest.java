package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * A kind's stop command runs on its hosts before anything of it changes (a live MinIO must not serve a directory
 * while it is replaced), a failed stop leaves that kind untouched, and a target that is a mount point keeps its place:
 * what it holds is moved aside inside it.
 */
class StopAndMountRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void theStopCommandRunsBeforeAnyChangeAndAFailedStopLeavesTheKindUntouched() throws Exception {
        try (TestInstallation wire = installation()) {
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            Path original = Trees.copy(minio(wire), tmp.resolve("original"));
            Files.writeString(minio(wire).resolve("bucket/stray"), "written after the backup");
            Path log = wire.root.resolve("service.log");

            Cli.Result failedStop = Cli.run("restore", "--only", "minio", "--replace", "--yes", "--config",
                    wire.set("restore.minio.stop-command", "echo 'minio will not stop' >&2; exit 3").writeSettings()
                            .toString());

            assertThat(failedStop.exitCode()).as(failedStop.out() + failedStop.err()).isEqualTo(1);
            assertThat(failedStop.out()).contains("FAILED  stop of minio on " + wire.ssh.hostSpec(),
                    "not started: restore.minio.stop-command failed on " + wire.ssh.hostSpec(), "minio will not stop",
                    "so nothing of minio was changed there");
            assertThat(minio(wire).resolve("bucket/stray")).exists();
            assertThat(minio(wire).resolveSibling("minio-server1.before-restore-"
                    + wire.onlyRunRecord().get("runId").asText())).doesNotExist();

            Thread.sleep(1100); // a restore id is a second
            Cli.Result restored = Cli.run("restore", "--only", "minio", "--replace", "--yes", "--config",
                    wire.set("restore.minio.stop-command", "ls " + minio(wire).resolve("bucket") + " > " + log)
                            .set("restore.minio.restart-command", "echo restarted >> " + log).writeSettings()
                            .toString());

            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
            assertThat(Files.readAllLines(log)).as("stopped while the old data was still in place, restarted after")
                    .containsExactly("3-2-abc", "stray", "restarted");
            assertThat(restored.out()).contains("ok      stop of minio on " + wire.ssh.hostSpec())
                    .doesNotContain("still stopped");
            Trees.assertSame(original, minio(wire));
        }
    }

    @Test
    void aMountPointKeepsItsPlaceAndWhatItHeldIsMovedAsideInsideIt() throws Exception {
        try (TestInstallation wire = installation()) {
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path original = Trees.copy(minio(wire), tmp.resolve("original"));
            Path disk = tmp.resolve("disk");
            Files.createDirectories(disk);
            // the MinIO data directory is its own file system, as on a real host (root only: CI runs as root)
            assumeTrue(sh("mount -t tmpfs wire-backup-test " + minio(wire)) == 0,
                    "mounting a tmpfs needs root and a mount namespace that allows it");
            try {
                Files.createDirectories(minio(wire).resolve("bucket"));
                Files.writeString(minio(wire).resolve("bucket/damaged"), "what the disk held");

                Cli.Result plan = Cli.run("restore", "--only", "minio", "--plan", "--config", settings.toString());
                Cli.Result restored = Cli.run("restore", "--only", "minio", "--replace", "--yes", "--config",
                        wire.set("restore.minio.stop-command", "true").writeSettings().toString());

                assertThat(plan.out()).contains("now  not empty, a mount point");
                assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
                Path aside = minio(wire).resolve(".wire-backup-before-restore-" + runId);
                assertThat(aside.resolve("bucket/damaged")).hasContent("what the disk held");
                assertThat(restored.out()).contains("what was there is kept: " + aside,
                        "minio is still stopped on " + wire.ssh.hostSpec() + ": start it again");
                assertThat(sh("mountpoint -q " + minio(wire))).as("still the mount point").isZero();
                Path restoredCopy = Trees.copy(minio(wire), tmp.resolve("restored"));
                assertThat(sh("rm -rf " + restoredCopy.resolve(aside.getFileName()))).isZero();
                Trees.assertSame(original, restoredCopy);
            } finally {
                sh("umount " + minio(wire));
            }
        }
    }

    private TestInstallation installation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        Path bucket = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
        Files.writeString(bucket.resolve("3-2-abc"), "an image");
        return wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", bucket.getParent().toString());
    }

    private static Path minio(TestInstallation wire) {
        return wire.root.resolve("minio/var/lib/minio-server1");
    }

    private static int sh(String command) throws Exception {
        return new ProcessBuilder(List.of("sh", "-c", command)).inheritIO().start().waitFor();
    }
}
