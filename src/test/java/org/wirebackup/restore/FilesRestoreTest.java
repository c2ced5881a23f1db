package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * {@code restore} of the wire-server folder and MinIO data directories on real SSH hosts: damaged directories are
 * moved aside and the backup's trees come back identical; what would lose data is refused before any change.
 */
class FilesRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void damagedDirectoriesAreMovedAsideAndTheBackupsTreesComeBackIdentical() throws Exception {
        try (TestInstallation wire = installation()) {
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path original = Trees.copy(wire.wireServerFolder, tmp.resolve("original/wire-server"));
            Path originalMinio = Trees.copy(minio(wire), tmp.resolve("original/minio-server1"));
            // the disaster: files changed, removed and added in both
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 0}\n");
            Files.delete(wire.wireServerFolder.resolve("secrets.yaml"));
            Files.writeString(minio(wire).resolve("bucket/stray"), "not in the backup");
            Files.delete(minio(wire).resolve("bucket/3-2-abc"));

            Cli.Result result = Cli.run("restore", "--only", "wire-server,minio", "--replace", "--yes", "--config",
                    settings.toString());

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            Trees.assertSame(original, wire.wireServerFolder);
            Trees.assertSame(originalMinio, minio(wire));
            Path asideWire = wire.wireServerFolder.resolveSibling("wire-server.before-restore-" + runId);
            assertThat(asideWire.resolve("values.yaml")).as("the damaged folder is kept").hasContent("brig: {replicas: 0}\n");
            assertThat(minio(wire).resolveSibling("minio-server1.before-restore-" + runId).resolve("bucket/stray"))
                    .exists();
            assertThat(result.out()).contains("what was there is kept: " + asideWire)
                    .containsPattern("wire-backup restore \\d{8}T\\d{6}Z of run " + runId + ": OK in");
            JsonNode record = onlyRestoreRecord(wire);
            assertThat(record.get("status").asText()).isEqualTo("ok");
            assertThat(record.get("parts").get(0).get("movedAside").asText()).endsWith(".before-restore-" + runId);
            assertThat(record.get("parts")).hasSize(2).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("ok"));
            assertThat(record.get("durationMillis").asLong()).isPositive();

            // restored again (a resumed restore): the first directory kept aside is never touched
            Thread.sleep(1100);
            Cli.Result again = Cli.run("restore", runId, "--only", "wire-server", "--replace", "--yes", "--config",
                    settings.toString());
            assertThat(again.exitCode()).as(again.out()).isZero();
            assertThat(asideWire.resolve("values.yaml")).hasContent("brig: {replicas: 0}\n");
            assertThat(asideWire.resolveSibling(asideWire.getFileName() + ".1")).isDirectory();
            Trees.assertSame(original, wire.wireServerFolder);
        }
    }

    @Test
    void aNewInstallationGetsEveryDirectoryAtTheTargetsTheRestoreSettingsNameAndItsServicesRestarted() throws Exception {
        try (TestInstallation wire = installation()) {
            assertThat(Cli.run("backup", "--config", wire.writeSettings().toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path freshWire = wire.root.resolve("new-host/home/wire/wire-server-2");
            Path freshMinio = wire.root.resolve("new-host/mnt/minio1");
            Path restarted = wire.root.resolve("restarted.log");

            Path wrongMapping = wire.set("restore.minio.dirs", "/var/lib/minio-server9=/mnt/minio9").writeSettings();
            Cli.Result refused = Cli.run("restore", "--plan", "--config", wrongMapping.toString());
            Path settings = wire.set("restore.wire-server.path", freshWire.toString())
                    .set("restore.minio.dirs", minio(wire) + "=" + freshMinio)
                    .set("restore.minio.restart-command", "echo restarted >> " + restarted).writeSettings();
            Cli.Result result = Cli.run("restore", "--only", "wire-server,minio", "--yes", "--config",
                    settings.toString());

            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err()).contains("restore.minio.dirs: /var/lib/minio-server9 is no MinIO data directory of"
                    + " run " + runId);
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            Trees.assertSame(wire.wireServerFolder, freshWire);
            Trees.assertSame(minio(wire), freshMinio);
            assertThat(restarted).hasContent("restarted");
            assertThat(result.out()).contains("ok      restart of minio on " + wire.ssh.hostSpec(),
                    "restart what uses the restored wire-server on " + wire.ssh.hostSpec() + " before use (or set"
                            + " restore.wire-server.restart-command)");
            assertThat(onlyRestoreRecord(wire).get("restarts").get(0).get("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aBackupHostThatLostItsDiskRestoresFromTheCopyOnAnSshBackupHost() throws Exception {
        try (TestInstallation wire = installation()) {
            Path offsite = wire.root.resolve("backup-host/srv/wire-backups");
            org.wirebackup.testing.DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), offsite, 3);
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path original = Trees.copy(wire.wireServerFolder, tmp.resolve("original/wire-server"));
            // the backup host's disk is gone: only the settings, the keys and routes/ are left
            deleteTree(wire.backupDir);
            deleteTree(wire.wireServerFolder);

            Cli.Result result = Cli.run("restore", "--from", "backup-host", "--only", "wire-server", "--yes",
                    "--config", settings.toString());

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            Trees.assertSame(original, wire.wireServerFolder);
            Path fetched = wire.backupDir.resolve("full-backup-" + runId + ".tar");
            assertThat(fetched).exists();
            assertThat(Files.mismatch(fetched, offsite.resolve(wire.copyName(runId)))).isEqualTo(-1L);
            assertThat(Cli.run("verify", fetched.toString()).out()).contains("OK    the whole file matches");
            // the RTO runs from the command's start: the fetch and the verification are in it
            JsonNode record = onlyRestoreRecord(wire);
            assertThat(java.time.Instant.parse(record.get("startedAt").asText()))
                    .isBeforeOrEqualTo(Files.getLastModifiedTime(fetched).toInstant());
            // the fetched copy is this backup directory's newest full backup now
            Cli.Result latest = Cli.run("restore", "--plan", "--config", settings.toString());
            assertThat(latest.exitCode()).as(latest.err()).isZero();
            assertThat(latest.out()).contains("Restore plan for " + fetched + " (run " + runId);
        }
    }

    @Test
    void whatWouldLoseDataIsRefusedBeforeAnyChange() throws Exception {
        try (TestInstallation wire = installation()) {
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "changed since the backup\n");

            Cli.Result withoutReplace = Cli.run("restore", "--yes", "--config", settings.toString());
            Cli.Result withoutTerminal = Cli.run("restore", "--replace", "--config", settings.toString());
            Cli.Result unknownKind = Cli.run("restore", "--only", "postgres", "--yes", "--config", settings.toString());

            assertThat(withoutReplace.exitCode()).isEqualTo(2);
            assertThat(withoutReplace.err()).contains("--replace: ", ":" + wire.wireServerFolder, ":" + minio(wire),
                    " are neither missing nor empty: pass --replace to move each aside", "nothing was changed");
            assertThat(withoutTerminal.exitCode()).isEqualTo(2);
            assertThat(withoutTerminal.err()).contains("no terminal to confirm on: pass --yes");
            assertThat(unknownKind.exitCode()).isEqualTo(2);
            assertThat(unknownKind.err()).contains("--only: 'postgres' is not one of");
            assertThat(wire.wireServerFolder.resolve("values.yaml")).hasContent("changed since the backup\n");
            assertThat(wire.backupDir.resolve("restores")).doesNotExist();
        }
    }

    @Test
    void aTargetHostThatIsDownMakesTheRestorePartialAndTheSummarySaysHowToResume() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            EmbeddedSshServer minioHost = EmbeddedSshServer.start(0, KeyMaterial.generateEcdsa(),
                    Set.of(wire.ssh.clientKey.getPublic()), wire.root, List.of());
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
            Files.writeString(minio.resolve("object"), "an image");
            Files.writeString(wire.ssh.knownHosts, wire.ssh.server.knownHostsLine() + "\n"
                    + minioHost.knownHostsLine() + "\n");
            wire.set("backup.minio.hosts", wire.ssh.target().user() + "@127.0.0.1:" + minioHost.port()).set("backup.minio.dirs", minio.getParent().toString());
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            minioHost.close(); // the MinIO host is down

            Cli.Result result = Cli.run("restore", "--only", "wire-server,minio", "--replace", "--yes", "--config",
                    settings.toString());

            assertThat(result.exitCode()).as(result.out()).isEqualTo(3);
            assertThat(result.out()).contains("PARTIAL", "ok      wire-server.tar.gz", "FAILED  minio-",
                    "resume: wire-backup restore " + runId + " --only minio --replace --yes");
            assertThat(onlyRestoreRecord(wire).get("status").asText()).isEqualTo("partial");
        }
    }

    private TestInstallation installation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 3}\n");
        Files.writeString(wire.wireServerFolder.resolve("secrets.yaml"), "zAuth: key\n");
        Files.setPosixFilePermissions(wire.wireServerFolder.resolve("secrets.yaml"),
                PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(wire.wireServerFolder.resolve("current-values"), Path.of("values.yaml"));
        Path bucket = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
        Files.writeString(bucket.resolve("3-2-abc"), "an image");
        Files.writeString(bucket.resolve("3-2-def"), "another image");
        return wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", bucket.getParent().toString());
    }

    private static Path minio(TestInstallation wire) {
        return wire.root.resolve("minio/var/lib/minio-server1");
    }

    private static JsonNode onlyRestoreRecord(TestInstallation wire) throws Exception {
        try (Stream<Path> restores = Files.list(wire.backupDir.resolve("restores"))) {
            Path dir = restores.reduce((a, b) -> {
                throw new AssertionError("more than one restore");
            }).orElseThrow();
            return new ObjectMapper().readTree(dir.resolve("restore.json").toFile());
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
