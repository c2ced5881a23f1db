package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.AdvisedRun;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TestInstallation;

/** A failed run leaves nothing behind that counts as a backup or fills the disk. */
class FailedRunCleanupTest {

    @TempDir
    Path tmp;

    @Test
    void theGoodPartsOfAFailedRunAreRemoved() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.keep-parts", "false").set("backup.minio.hosts", wire.ssh.hostSpec())
                    .set("backup.minio.dirs", "/no/such/minio-server1");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            String runId = wire.onlyRunRecord().get("runId").asText();
            assertThat(names(wire.runDir(runId))).containsExactly("run.json");
        }
    }

    @Test
    void aFullBackupOfARunThatFailedAfterwardsNeverKeepsItsGoodName() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            BackupRun run = AdvisedRun.run(wire.writeSettings(), "pipeline", (context, route) -> route
                    .weaveByToUri("direct://fan-out").before().process(e -> {
                        throw new IllegalStateException("the fan-out broke");
                    }));

            assertThat(run.finalRecord().status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.finalRecord().fullBackup()).isNull();
            assertThat(names(wire.backupDir)).contains(FullBackup.fileName(run.id()) + ".failed")
                    .doesNotContain(FullBackup.fileName(run.id()), FullBackup.fileName(run.id()) + ".sha256");
        }
    }

    private static java.util.List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
