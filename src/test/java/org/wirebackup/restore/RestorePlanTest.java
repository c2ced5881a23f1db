package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TarEdit;
import org.wirebackup.testing.TestInstallation;

/** {@code restore --plan}: what goes where and what is there now, from the manifest; nothing is changed. */
class RestorePlanTest {

    @TempDir
    Path tmp;

    @Test
    void thePlanNamesEveryPartsTargetAndWhatIsThereNowAndChangesNothing() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
            Files.writeString(minio.resolve("object"), "an image");
            wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", minio.getParent().toString());
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            JsonNode record = wire.onlyRunRecord();
            // the disaster: the MinIO data directory is gone
            TestFiles.deleteTree(minio.getParent());
            String before = digest(wire.root);

            Cli.Result latest = Cli.run("restore", "--plan", "--config", settings.toString());
            Cli.Result byRunId = Cli.run("restore", record.get("runId").asText(), "--plan", "--config",
                    settings.toString());

            assertThat(latest.exitCode()).as(latest.err()).isZero();
            assertThat(withoutFreeSpace(byRunId.out())).isEqualTo(withoutFreeSpace(latest.out()));
            String host = wire.ssh.hostSpec();
            assertThat(latest.out())
                    .contains("Restore plan for " + record.get("fullBackup").get("file").asText())
                    .contains("nothing has been changed")
                    .contains("wire-server.tar.gz", "to   " + host + ":" + wire.wireServerFolder,
                            "how  streamed into tar -x -C " + wire.wireServerFolder + ": every entry lands inside it")
                    .contains("to   " + host + ":" + minio.getParent())
                    .containsPattern("now  not empty, [0-9.]+ [KMGT]iB free there")
                    .containsPattern("now  missing, [0-9.]+ [KMGT]iB free there");
            assertThat(digest(wire.root)).as("the plan changed nothing").isEqualTo(before);
        }
    }

    @Test
    void aFullBackupThatDoesNotVerifyIsRefusedAndABadSourceIsNamed() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            Path fullBackup = Path.of(wire.onlyRunRecord().get("fullBackup").get("file").asText());
            TarEdit.flipByte(fullBackup, Files.size(fullBackup) - 1500);

            Cli.Result damaged = Cli.run("restore", fullBackup.toString(), "--plan", "--config", settings.toString());
            Cli.Result unknown = Cli.run("restore", "yesterday", "--plan", "--config", settings.toString());

            assertThat(damaged.exitCode()).isEqualTo(1);
            assertThat(damaged.out()).contains("NOT VERIFIED").doesNotContain("Restore plan");
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.err()).contains("SOURCE: 'yesterday' is no full-backup file, run id or 'latest'");
        }
    }

    /** The free space a plan shows changes with every file anyone writes meanwhile. */
    private static String withoutFreeSpace(String plan) {
        return plan.replaceAll("[0-9.]+ [KMGT]iB free there", "N free there");
    }

    /** Every path under root with its type, size and content hash: equal before and after means nothing changed. */
    private static String digest(Path root) throws Exception {
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted().toList()) {
                all.update((root.relativize(p) + (Files.isDirectory(p) ? "/" : " " + Files.size(p))).getBytes());
                if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".log")) {
                    all.update(Files.readAllBytes(p));
                }
            }
        }
        return HexFormat.of().formatHex(all.digest());
    }

    private static final class TestFiles {
        static void deleteTree(Path dir) throws Exception {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
