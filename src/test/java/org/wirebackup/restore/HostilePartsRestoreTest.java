package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.archive.FullBackupWriter;
import org.wirebackup.archive.Manifest;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * Full backups whose MinIO part holds an entry that could escape the target, each kind built here: every one is
 * refused by {@code restore} before any change, naming the part and the entry, and by {@code drill} before anything
 * reaches the scratch host. A link pointing outside is no such
 * entry by itself (it is restored as a link); an entry below it is.
 */
class HostilePartsRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void everyKindOfHostileEntryIsRefusedBeforeAnyChangeNamingPartAndEntry() throws Exception {
        Map<String, List<TarArchiveEntry>> hostile = Map.of(
                "/etc/cron.d/evil", List.of(new TarArchiveEntry("/etc/cron.d/evil", true)),
                // beside the target, in its parent: the SSH user's keys when the target is in their home
                "minio-server1/../.ssh/authorized_keys", List.of(
                        new TarArchiveEntry("minio-server1/../.ssh/authorized_keys")),
                "minio-server2/bucket/x", List.of(new TarArchiveEntry("minio-server2/bucket/x")),
                "minio-server1/../../etc/passwd", List.of(new TarArchiveEntry("minio-server1/../../etc/passwd", true)),
                "minio-server1/etc/cron.d/evil", List.of(link("minio-server1/etc", TarConstants.LF_SYMLINK, "/etc"),
                        new TarArchiveEntry("minio-server1/etc/cron.d/evil")),
                "minio-server1/up/x", List.of(link("minio-server1/up", TarConstants.LF_SYMLINK, ".."),
                        new TarArchiveEntry("minio-server1/up/x")),
                "minio-server1/shadow", List.of(link("minio-server1/shadow", TarConstants.LF_LINK, "../etc/shadow")),
                "minio-server1/passwd", List.of(link("minio-server1/etc", TarConstants.LF_SYMLINK, "/etc"),
                        link("minio-server1/passwd", TarConstants.LF_LINK, "minio-server1/etc/passwd")));
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
            Files.writeString(minio.resolve("object"), "kept as it is");
            Path scratch = Files.createDirectories(wire.root.resolve("scratch-host/var/tmp/wire-drill"));
            Path settings = wire.set("backup.drill.from", "local").set("backup.drill.host", wire.ssh.hostSpec())
                    .set("backup.drill.dir", scratch.toString()).writeSettings();
            Path before = Trees.copy(wire.root.resolve("minio"), tmp.resolve("before"));
            int made = 0;
            for (Map.Entry<String, List<TarArchiveEntry>> entry : hostile.entrySet()) {
                // in backup.dir, with its .sha256: the newest full backup there, for the drill
                Path fullBackup = fullBackupWith(entry.getValue(), minio.getParent(), wire.ssh.hostSpec(), made++,
                        wire.backupDir);

                Cli.Result result = Cli.run("restore", fullBackup.toString(), "--replace", "--yes", "--config",
                        settings.toString());

                assertThat(result.exitCode()).as(entry.getKey() + ": " + result.out()).isEqualTo(1);
                assertThat(result.out()).as(entry.getKey()).contains("FAIL  minio-h-minio-server1.tar  holds an entry"
                        + " that could escape or harm the target: " + entry.getKey()).doesNotContain("Restore plan");
                assertThat(result.err()).contains("does not verify: nothing was changed");
                Trees.assertSame(before, wire.root.resolve("minio"));
                assertThat(minio.getParent().resolveSibling(".ssh")).doesNotExist();
                assertThat(wire.backupDir.resolve("restores")).doesNotExist();

                Thread.sleep(1100); // a drill id is a second
                Cli.Result drill = Cli.run("drill", "--config", settings.toString());

                assertThat(drill.exitCode()).as(entry.getKey() + ": " + drill.out() + drill.err()).isEqualTo(1);
                assertThat(drill.out()).as(entry.getKey() + ": " + drill.err()).contains("FAILED", "the copy does not verify",
                        "minio-h-minio-server1.tar holds an entry that could escape or harm the target: "
                                + entry.getKey());
                assertThat(scratch).as("the drill changed nothing on the scratch host").isEmptyDirectory();
                assertThat(wire.root.resolve("scratch-host/var/tmp/.ssh")).doesNotExist();
            }
        }
    }

    private static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setLinkName(target);
        return entry;
    }

    /** A full backup, as the backup writes one, whose one MinIO part holds a good file and the hostile entries. */
    private Path fullBackupWith(List<TarArchiveEntry> hostileEntries, Path minioDir, String host, int n, Path into)
            throws Exception {
        Path part = Files.createDirectories(tmp.resolve("parts" + n)).resolve("minio-h-minio-server1.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(part))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            byte[] data = "an object".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry good = new TarArchiveEntry("minio-server1/bucket/good");
            good.setSize(data.length);
            tar.putArchiveEntry(good);
            tar.write(data);
            tar.closeArchiveEntry();
            for (TarArchiveEntry hostile : hostileEntries) {
                boolean file = hostile.isFile() && !hostile.isSymbolicLink() && !hostile.isLink();
                if (file) {
                    hostile.setSize(data.length);
                }
                tar.putArchiveEntry(hostile);
                if (file) {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(part);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Manifest manifest = new Manifest(1, "20261123T00000" + n + "Z", "2026-11-23T00:00:00Z", "2026-11-23T00:00:01Z",
                "test", List.of(new Manifest.Part(part.getFileName().toString(), "minio", "minio", host,
                        minioDir.toString(), null, "tar", "none", bytes.length, sha, 1L + hostileEntries.size(), List.of())), "test-installation");
        return FullBackupWriter.write(Files.createDirectories(into), manifest, List.of(part)).file();
    }
}
