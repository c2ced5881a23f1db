package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * A restore whose extraction stops moving (a hung disk, here a {@code tar} that writes one file and then waits) is
 * stopped at the stall timeout, not at a wall-clock limit; its summary names the half-restored target and the line that
 * finishes it, and that line does.
 */
class StalledRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void aStalledExtractionStopsNamesTheHalfRestoredTargetAndTheResumeFinishesIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path stall = tmp.resolve("stall");
        Path tar = bin.resolve("tar");
        Files.writeString(tar, "#!/bin/sh\ncase \"$*\" in *-xpf*) if [ -e " + stall + " ]; then\n"
                + "  for a; do [ \"$prev\" = -C ] && dir=$a; prev=$a; done\n"
                + "  echo half > \"$dir/half-extracted\"; exec sleep 300\nfi;; esac\n"
                + "exec /usr/bin/tar \"$@\"\n");
        Files.setPosixFilePermissions(tar, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"),
                SshFixture.startWithPathFirst(tmp.resolve("wire/ssh"), bin), "wire-host/home/wire/wire-server")) {
            Path minio = wire.root.resolve("minio/var/lib/minio-server1");
            Files.createDirectories(minio.resolve("bucket"));
            Files.writeString(minio.resolve("bucket/3-2-abc"), "an image");
            Path settings = wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs",
                    minio.toString()).set("backup.ssh.stall-timeout", "2s").writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path original = Trees.copy(minio, tmp.resolve("original"));
            Files.writeString(stall, "");
            assertThat(new ProcessBuilder("rm", "-rf", minio.toString()).start().waitFor()).isZero();

            long started = System.nanoTime();
            Cli.Result stalled = Cli.run("restore", "--only", "minio", "--yes", "--config", settings.toString());
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(stalled.exitCode()).as(stalled.out() + stalled.err()).isEqualTo(1);
            assertThat(stalled.out()).contains("FAILED  minio-", "made no progress for 2s (backup.ssh.stall-timeout",
                    wire.ssh.hostSpec() + ":" + minio + " is left partly restored",
                    "resume: wire-backup restore " + runId + " --only minio --replace --yes");
            assertThat(seconds).as("stopped at the stall, not at a wall-clock limit").isLessThan(60);
            assertThat(minio.resolve("half-extracted")).exists();

            Files.delete(stall);
            Thread.sleep(1100); // a restore id is a second
            Cli.Result resumed = Cli.run("restore", runId, "--only", "minio", "--replace", "--yes", "--config",
                    settings.toString());

            assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
            Trees.assertSame(original, minio);
            assertThat(minio.resolveSibling("minio-server1.before-restore-" + runId).resolve("half-extracted"))
                    .as("the half-restored directory is kept aside").exists();
        }
    }
}
