package org.wirebackup.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.restore.drill.DrillRun;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * Client-side encryption through the real run, restore and drill, checked against Debian's {@code age} CLI both
 * ways: what wire-backup encrypts, {@code age -d} decrypts; what {@code age -r} encrypts, wire-backup reads.
 */
class EncryptedBackupTest {

    @TempDir
    Path tmp;

    @AfterEach
    void noHook() {
        DrillRun.beforeProofForTests(null);
    }

    @Test
    void anEncryptedRunLeavesNoPlaintextAndAgeDecryptsItIntoAFullBackupThatVerifies() throws Exception {
        try (TestInstallation wire = installation()) {
            Path key = keygen("key.txt");
            Path offsite = wire.root.resolve("backup-host/srv/wire-backups");
            DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), offsite, 3);
            // one recipient in the settings, the offline one in a recipients file (age -R's format)
            Path offline = keygen("offline.txt");
            Path recipients = Files.writeString(tmp.resolve("recipients.txt"), "# the safe's key\n"
                    + publicKey(offline) + "\n\n");
            Path settings = wire.set("backup.encryption.recipients", publicKey(key))
                    .set("backup.encryption.recipients-file", recipients.toString()).writeSettings();

            Cli.Result backup = Cli.run("backup", "--config", settings.toString());

            assertThat(backup.exitCode()).as(backup.out() + backup.err()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            assertThat(backup.out()).contains("encrypted (age) to 2 recipient(s)");
            assertThat(wire.onlyRunRecord().get("fullBackup").get("encryptedTo")).hasSize(2);
            Path encrypted = wire.backupDir.resolve("full-backup-" + runId + ".tar.age");
            assertThat(encrypted).exists();
            Path copy = offsite.resolve(wire.copyName(runId, true));
            assertThat(copy).exists().hasSameBinaryContentAs(encrypted);
            try (Stream<Path> files = Files.walk(wire.backupDir)) {
                assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .as("nothing but the ciphertext, its .sha256 and JSON records")
                        .allMatch(n -> n.endsWith(".tar.age") || n.endsWith(".tar.age.sha256") || n.endsWith(".json")
                                || n.equals(".lock") || n.startsWith("."));
            }
            assertThat(Files.readString(encrypted.resolveSibling(encrypted.getFileName() + ".sha256")))
                    .doesNotContain(Files.readString(key).lines().filter(l -> l.startsWith("AGE-SECRET")).findFirst()
                            .orElseThrow());
            // any copy is checked without a key: sha256sum -c, and verify of the ciphertext
            assertThat(run(offsite, "sha256sum", "-c", copy.getFileName() + ".sha256")).contains(": OK");
            Cli.Result sealed = Cli.run("verify", copy.toString());
            assertThat(sealed.exitCode()).as(sealed.out()).isZero();
            assertThat(sealed.out()).contains("the whole file matches", "note  encrypted (age)",
                    "is whole as its .sha256 says (encrypted: its parts are checked with --identity)");
            Cli.Result opened = Cli.run("verify", "--identity", key.toString(), encrypted.toString());
            assertThat(opened.exitCode()).as(opened.out() + opened.err()).isZero();
            assertThat(opened.out()).contains("OK    wire-server.tar.gz", "verified: ");

            assertThat(Cli.run("verify", "--identity", offline.toString(), encrypted.toString()).exitCode())
                    .as("the offline identity reads it too").isZero();
            Path decrypted = tmp.resolve("full-backup-" + runId + ".tar");
            run(tmp, "age", "-d", "-i", key.toString(), "-o", decrypted.toString(), encrypted.toString());
            Cli.Result plain = Cli.run("verify", decrypted.toString());
            assertThat(plain.exitCode()).as(plain.out()).isZero();
            assertThat(plain.out()).contains("verified: ");
        }
    }

    @Test
    void aFileEncryptedByAgeIsReadByVerifyAndAWrongIdentityATruncationOrAFlippedBitIsRefused() throws Exception {
        try (TestInstallation wire = installation()) {
            assertThat(Cli.run("backup", "--config", wire.writeSettings().toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path key = keygen("key.txt");
            Path byAge = tmp.resolve("full-backup-" + runId + ".tar.age");
            run(tmp, "age", "-r", publicKey(key), "-o", byAge.toString(),
                    wire.backupDir.resolve("full-backup-" + runId + ".tar").toString());

            Cli.Result read = Cli.run("verify", "--identity", key.toString(), byAge.toString());
            assertThat(read.exitCode()).as(read.out() + read.err()).isZero();
            assertThat(read.out()).contains("OK    wire-server.tar.gz", "verified: ");

            Path other = keygen("other.txt");
            Cli.Result wrong = Cli.run("verify", "--identity", other.toString(), byAge.toString());
            assertThat(wrong.exitCode()).isEqualTo(2);
            assertThat(wrong.err()).contains("no identity in " + other + " matches the recipients of " + byAge.getFileName());

            Path truncated = Files.createDirectories(tmp.resolve("truncated")).resolve(byAge.getFileName());
            Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(byAge), (int) Files.size(byAge) - 100));
            Cli.Result cut = Cli.run("verify", "--identity", key.toString(), truncated.toString());
            assertThat(cut.exitCode()).isEqualTo(1);
            assertThat(cut.out()).contains("NOT VERIFIED");

            Path flipped = Files.createDirectories(tmp.resolve("flipped")).resolve(byAge.getFileName());
            Files.copy(byAge, flipped);
            flipBit(flipped, Files.size(flipped) / 2);
            Cli.Result tampered = Cli.run("verify", "--identity", key.toString(), flipped.toString());
            assertThat(tampered.exitCode()).isEqualTo(1);
            assertThat(tampered.out()).contains("NOT VERIFIED");
            assertThat(tampered.out() + tampered.err()).doesNotContain(Files.readString(key).lines()
                    .filter(l -> l.startsWith("AGE-SECRET")).findFirst().orElseThrow());
        }
    }

    @Test
    void anEncryptedBackupRestoresWithItsIdentityAndATamperedOneRestoresNothing() throws Exception {
        try (TestInstallation wire = installation()) {
            Path key = keygen("key.txt");
            Path freshWire = wire.root.resolve("new-host/home/wire/wire-server-2");
            Path settings = wire.set("backup.encryption.recipients", publicKey(key))
                    .set("restore.wire-server.path", freshWire.toString()).writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Path encrypted = wire.backupDir.resolve("full-backup-" + runId + ".tar.age");

            Cli.Result noKey = Cli.run("restore", "--only", "wire-server", "--yes", "--config", settings.toString());
            assertThat(noKey.exitCode()).isEqualTo(2);
            assertThat(noKey.err()).contains("--identity: " + encrypted.getFileName() + " is encrypted");

            Path open = Files.copy(key, tmp.resolve("open.txt"));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            Cli.Result readable = Cli.run("restore", "--identity", open.toString(), "--only", "wire-server", "--yes",
                    "--config", settings.toString());
            assertThat(readable.exitCode()).isEqualTo(2);
            assertThat(readable.err()).contains("--identity: permissions rw-r--r-- for " + open + " are too open");

            Path other = keygen("other.txt");
            Cli.Result wrong = Cli.run("restore", "--identity", other.toString(), "--only", "wire-server", "--yes",
                    "--config", settings.toString());
            assertThat(wrong.exitCode()).isEqualTo(2);
            assertThat(wrong.err()).contains("--identity: no identity in " + other + " matches the recipients of "
                    + encrypted.getFileName());
            assertThat(freshWire).doesNotExist();

            Path copy = Files.copy(encrypted, tmp.resolve("kept.age"));
            Path sidecar = encrypted.resolveSibling(encrypted.getFileName() + ".sha256");
            Path keptSidecar = Files.copy(sidecar, tmp.resolve("kept.age.sha256"));
            flipBit(encrypted, Files.size(encrypted) - 40);
            Cli.Result tampered = Cli.run("restore", "--identity", key.toString(), "--only", "wire-server", "--yes",
                    "--config", settings.toString());
            assertThat(tampered.exitCode()).isEqualTo(1);
            assertThat(tampered.err()).contains("does not verify: nothing was changed");
            assertThat(freshWire).doesNotExist();

            // altered together with its .sha256 (anyone who can write to a destination can): the chunk is named
            run(encrypted.getParent(), "sh", "-c", "sha256sum " + encrypted.getFileName() + " > "
                    + encrypted.getFileName() + ".sha256");
            Cli.Result altered = Cli.run("restore", "--identity", key.toString(), "--only", "wire-server", "--yes",
                    "--config", settings.toString());
            assertThat(altered.exitCode()).isEqualTo(1);
            assertThat(altered.out() + altered.err()).containsPattern("chunk \\d+ does not authenticate: the copy was"
                    + " altered").doesNotContain("rejected from", "Executor", "Exception");
            assertThat(freshWire).doesNotExist();

            Files.copy(copy, encrypted, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(keptSidecar, sidecar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Cli.Result restored = Cli.run("restore", "--identity", key.toString(), "--only", "wire-server", "--yes",
                    "--config", settings.toString());
            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
            Trees.assertSame(wire.wireServerFolder, freshWire);
        }
    }

    @Test
    void theDrillDecryptsTheOffsiteCopyWithItsIdentityFile() throws Exception {
        try (TestInstallation wire = installation(); LogCapture logs = LogCapture.ofAllLevels("org.wirebackup")) {
            Path key = keygen("key.txt");
            Path offsite = wire.root.resolve("backup-host/srv/wire-backups");
            DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), offsite, 3);
            Path scratch = Files.createDirectories(wire.root.resolve("scratch-host/var/tmp/wire-drill"));
            wire.set("backup.encryption.recipients", publicKey(key)).set("backup.drill.from", "backup-host")
                    .set("backup.drill.host", wire.ssh.hostSpec()).set("backup.drill.dir", scratch.toString());
            assertThat(Cli.run("backup", "--config", wire.writeSettings().toString()).exitCode()).isZero();

            Cli.Result without = Cli.run("drill", "--config", wire.writeSettings().toString());
            assertThat(without.exitCode()).isEqualTo(2);
            assertThat(without.err()).contains("backup.drill.identity-file: is not set, and full-backup-")
                    .contains(".tar.age is encrypted");

            Cli.Result drill = Cli.run("drill", "--config", wire.set("backup.drill.identity-file", key.toString())
                    .writeSettings().toString());
            assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
            assertThat(drill.out()).contains("ok      wire-server.tar.gz");
            assertThat(scratch).isEmptyDirectory();
            String secret = Files.readString(key).lines().filter(l -> l.startsWith("AGE-SECRET")).findFirst().orElseThrow();
            assertThat(logs.text() + drill.out() + drill.err()).doesNotContain(secret);
        }
    }

    private TestInstallation installation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 3}\n");
        Files.writeString(wire.wireServerFolder.resolve("secrets.yaml"), "zAuth: key\n");
        return wire.set("backup.keep-parts", "false");
    }

    private Path keygen(String name) throws Exception {
        Path file = tmp.resolve(name);
        Cli.Result made = Cli.run("keygen", file.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        return file;
    }

    private static String publicKey(Path identity) throws Exception {
        return run(identity.getParent(), "age-keygen", "-y", identity.toString()).strip();
    }

    private static void flipBit(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x01);
        }
    }

    /** Runs a command (age, sha256sum) and returns what it printed; fails the test when it fails. */
    static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
