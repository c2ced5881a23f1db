package org.wirebackup.restore.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TarEdit;
import org.wirebackup.testing.TestInstallation;

/**
 * {@code drill} on real SSH hosts: the newest copy, fetched from an SSH backup host, restored on a scratch directory
 * and proven path by path; drills that must fail do, with an alert naming the cause and no scratch data left.
 */
class DrillTest {

    @TempDir
    Path tmp;

    @AfterEach
    void noHook() {
        DrillRun.beforeProofForTests(null);
    }

    @Test
    void theNewestOffsiteCopyRestoresOnTheScratchHostAndIsProvenPathByPath() throws Exception {
        try (TestInstallation wire = installation()) {
            String runId = backup(wire);

            Cli.Result drill = Cli.run("drill", "--config", wire.writeSettings().toString());

            assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
            assertThat(drill.out()).containsPattern("wire-backup drill \\d{8}T\\d{6}Z of run " + runId
                    + " \\(copy from backup-host\\): OK; RTO [0-9.]+s; the backup was \\d+s old \\(RPO\\)")
                    .contains("ok      wire-server.tar.gz  5 paths equal to the backup's", "(removed)");
            JsonNode record = onlyDrillRecord(wire);
            assertThat(record.get("status").asText()).isEqualTo("ok");
            assertThat(drill.out()).contains("ok      versions.txt.gz  sha256 equal");
            assertThat(record.get("parts")).hasSize(3).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("ok"));
            assertThat(record.get("durationMillis").asLong()).isPositive();
            assertThat(scratch(wire)).as("the scratch data is removed").isEmptyDirectory();
            try (Stream<Path> left = Files.list(wire.backupDir.resolve("drills").resolve(record.get("drillId").asText()))) {
                assertThat(left.map(p -> p.getFileName().toString())).as("the fetched copy is removed")
                        .containsExactly("drill.json");
            }
        }
    }

    @Test
    void byDefaultTheDrillFetchesFromTheFirstDestinationAndWithoutOneItFailsSayingSo() throws Exception {
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            backup(wire);
            Path settings = wire.set("backup.drill.from", "").writeSettings();

            Cli.Result drill = Cli.run("drill", "--config", settings.toString());
            Files.delete(wire.routesDir.resolve("backup-host.yaml"));
            Cli.Result none = Cli.run("drill", "--config", settings.toString());

            assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
            assertThat(drill.out()).contains("(copy from backup-host): OK");
            assertThat(none.exitCode()).isEqualTo(1);
            assertThat(none.out()).contains("no destination of routes/ to fetch the copy from",
                    "set backup.drill.from=local");
            assertThat(alerts.text()).contains("step=drill", "no destination of routes/");
        }
    }

    @Test
    void aDamagedCopyAtTheDestinationFailsTheDrillWithAnAlert() throws Exception {
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            String runId = backup(wire);
            Path copy = offsite(wire).resolve(wire.copyName(runId));
            TarEdit.flipByte(copy, Files.size(copy) / 2);

            Cli.Result drill = Cli.run("drill", "--config", wire.writeSettings().toString());

            assertThat(drill.exitCode()).isEqualTo(1);
            assertThat(drill.out()).contains("FAILED", "its .sha256 says");
            assertThat(alerts.text()).contains("step=drill", "its .sha256 says");
            assertThat(onlyDrillRecord(wire).get("status").asText()).isEqualTo("failed");
            assertThat(scratch(wire)).isEmptyDirectory();
        }
    }

    @Test
    void aPartThatRestoresDifferentlyFailsTheDrillNamingTheFile() throws Exception {
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            backup(wire);
            DrillRun.beforeProofForTests((host, dir) -> {
                Path values = Path.of(dir, "wire-server/values.yaml");
                if (Files.exists(values)) {
                    Files.writeString(values, "brig: {replicas: 0}\n");
                }
            });

            Cli.Result drill = Cli.run("drill", "--config", wire.writeSettings().toString());

            assertThat(drill.exitCode()).isEqualTo(1);
            assertThat(drill.out()).contains("FAILED  wire-server.tar.gz", "1 paths restored differently from the backup",
                    "wire-server/values.yaml: sha256 ");
            assertThat(alerts.text()).contains("step=drill", "source=wire-server.tar.gz", "wire-server/values.yaml");
            assertThat(scratch(wire)).isEmptyDirectory();
        }
    }

    @Test
    void aScratchDirectoryThatIsProductionIsRefusedAtStartUp() throws Exception {
        try (TestInstallation wire = installation()) {
            Path settings = wire.set("backup.drill.dir", wire.wireServerFolder.getParent().toString()).writeSettings();

            Cli.Result drill = Cli.run("drill", "--config", settings.toString());

            assertThat(drill.exitCode()).isEqualTo(2);
            assertThat(drill.err()).contains("backup.drill.dir: ", "overlaps wire-server's",
                    "never where production data lives");

            Path cassandra = wire.set("backup.drill.dir", scratch(wire).toString())
                    .set("backup.cassandra.hosts", wire.ssh.hostSpec())
                    .set("backup.drill.cassandra.hosts", wire.ssh.hostSpec()).writeSettings();
            Cli.Result production = Cli.run("drill", "--config", cassandra.toString());
            assertThat(production.exitCode()).isEqualTo(2);
            assertThat(production.err()).contains("backup.drill.cassandra.hosts: ", "is a node of the backed-up cluster");

            Path inherited = wire.set("backup.cassandra.hosts", "").set("backup.cassandra.cql-address", "10.0.0.11")
                    .writeSettings();
            Cli.Result inheriting = Cli.run("drill", "--config", inherited.toString());
            assertThat(inheriting.exitCode()).isEqualTo(2);
            assertThat(inheriting.err()).contains("backup.drill.cassandra.cql-address: is not set, but"
                    + " backup.cassandra.cql-address is (10.0.0.11)", "never inherits production's address");
        }
    }

    @Test
    void checkDrillReadsTheRecordedDrillsAsANagiosPlugin() throws Exception {
        try (TestInstallation wire = installation()) {
            backup(wire);
            String dir = wire.backupDir.toString();
            Cli.Result none = Cli.run("check", "--drill", "-d", dir);
            assertThat(Cli.run("drill", "--config", wire.writeSettings().toString()).exitCode()).isZero();
            Cli.Result fresh = Cli.run("check", "--drill", "-d", dir);
            failedDrill("29991231T000000Z").write(wire.backupDir);
            Cli.Result latestFailed = Cli.run("check", "--drill", "-d", dir);
            Path onlyFailed = tmp.resolve("only-failed");
            failedDrill("20261201T000000Z").write(onlyFailed);
            Cli.Result noGood = Cli.run("check", "--drill", "-d", onlyFailed.toString());

            assertThat(none.exitCode()).isEqualTo(3);
            assertThat(none.out()).startsWith("WIRE-BACKUP UNKNOWN - no drill recorded under");
            assertThat(fresh.exitCode()).as(fresh.out()).isZero();
            assertThat(fresh.out()).startsWith("WIRE-BACKUP OK - newest good drill ").contains("copy from backup-host",
                    "| age=", "rto=");
            assertThat(latestFailed.exitCode()).as("a backup that does not restore is not a warning").isEqualTo(2);
            assertThat(latestFailed.out()).contains("CRITICAL - latest drill 29991231T000000Z failed: wire-server.tar.gz:"
                    + " 1 paths restored differently");
            assertThat(new ProcessBuilder("rm", "-r", wire.backupDir.resolve("drills/29991231T000000Z").toString())
                    .start().waitFor()).isZero();
            Thread.sleep(2100); // the good drill is now older than -C
            Cli.Result stale = Cli.run("check", "--drill", "-d", dir, "-w", "1s", "-C", "2s");
            assertThat(stale.exitCode()).isEqualTo(2);
            assertThat(stale.out()).startsWith("WIRE-BACKUP CRITICAL - newest good drill ").contains("older than 2s");
            assertThat(noGood.exitCode()).isEqualTo(2);
            assertThat(noGood.out()).contains("CRITICAL - no good drill at all; latest drill 20261201T000000Z failed");
        }
    }

    private static DrillRecord failedDrill(String id) {
        return new DrillRecord(id, DrillRecord.FAILED, "backup-host", "/x/full-backup-20261201T000000Z.tar",
                "20261201T000000Z", 60L, "2026-12-01T00:00:00Z", "2026-12-01T00:00:05Z", 5000, "h:/d/" + id, false,
                java.util.List.of(new DrillRecord.Part("wire-server.tar.gz", "wire-server", DrillRecord.FAILED, 100, 5L,
                        10, java.util.List.of("wire-server/values.yaml: sha256 a, the backup has b"),
                        "1 paths restored differently from the backup")), null, null, null);
    }

    private TestInstallation installation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 3}\n");
        Files.writeString(wire.wireServerFolder.resolve("secrets.yaml"), "zAuth: key\n");
        Files.createSymbolicLink(wire.wireServerFolder.resolve("current-values"), Path.of("values.yaml"));
        Files.createDirectories(wire.wireServerFolder.resolve("charts"));
        DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), offsite(wire), 3);
        Files.createDirectories(scratch(wire));
        Path bucket = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
        Files.writeString(bucket.resolve("3-2-abc"), "an image");
        wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", bucket.getParent().toString())
                .set("backup.commands", "versions").set("backup.command.versions.host", wire.ssh.hostSpec())
                .set("backup.command.versions.command", "uname -a").set("backup.command.versions.suffix", ".txt");
        return wire.set("backup.drill.from", "backup-host").set("backup.drill.host", wire.ssh.hostSpec())
                .set("backup.drill.dir", scratch(wire).toString());
    }

    private static String backup(TestInstallation wire) throws Exception {
        Cli.Result backup = Cli.run("backup", "--config", wire.writeSettings().toString());
        assertThat(backup.exitCode()).as(backup.out()).isZero();
        return wire.onlyRunRecord().get("runId").asText();
    }

    private static Path offsite(TestInstallation wire) {
        return wire.root.resolve("backup-host/srv/wire-backups");
    }

    private static Path scratch(TestInstallation wire) {
        return wire.root.resolve("scratch-host/var/tmp/wire-drill");
    }

    private static JsonNode onlyDrillRecord(TestInstallation wire) throws Exception {
        try (Stream<Path> drills = Files.list(wire.backupDir.resolve("drills"))) {
            Path dir = drills.reduce((a, b) -> {
                throw new AssertionError("more than one drill");
            }).orElseThrow();
            return new ObjectMapper().readTree(dir.resolve("drill.json").toFile());
        }
    }
}
