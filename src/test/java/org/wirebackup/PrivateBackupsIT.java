package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.TestInstallation;

/**
 * Backups hold Wire's secrets: under a umask of 000 (the worst a service unit can have) the backup directory and
 * everything in it, and the copy on an SSH backup host, are readable by their owner only.
 */
class PrivateBackupsIT {

    @TempDir
    Path tmp;

    @Test
    void everythingABackupRunWritesIsTheOwnersOnlyWhateverTheUmask() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("secrets.yaml"), "zAuth: private-key\n");
            Path offsite = wire.root.resolve("backup-host/srv/wire-backups");
            DestinationFiles.scp(wire.routesDir, "offsite", wire.ssh.hostSpec(), offsite, 3);

            JarProcess.Result result = JarProcess.runUnderUmask("000", Map.of("BACKUP_MINIO_HOTS", "m1"), tmp, 120,
                    "backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("environment variable BACKUP_MINIO_HOTS is not a setting");
            JsonNode record = wire.onlyRunRecord();
            Path runDir = wire.runDir(record.get("runId").asText());
            assertThat(mode(wire.backupDir)).isEqualTo("rwx------");
            assertThat(mode(wire.backupDir.resolve("runs"))).isEqualTo("rwx------");
            assertThat(mode(runDir)).isEqualTo("rwx------");
            assertThat(mode(runDir.resolve("run.json"))).isEqualTo("rw-------");
            assertThat(mode(Path.of(record.get("fullBackup").get("file").asText()))).isEqualTo("rw-------");
            assertThat(mode(wire.part(record, record.get("sources").get(0)))).isEqualTo("rw-------");
            try (Stream<Path> files = Files.list(wire.backupDir)) {
                files.filter(Files::isRegularFile).forEach(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
            }
            assertThat(mode(offsite)).isEqualTo("rwx------");
            try (Stream<Path> copies = Files.list(offsite)) {
                copies.forEach(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
            }
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
