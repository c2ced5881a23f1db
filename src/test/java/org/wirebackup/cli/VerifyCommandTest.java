package org.wirebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.archive.FullBackupWriter;
import org.wirebackup.archive.Manifest;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TarEdit;
import org.wirebackup.testing.TestInstallation;

/** {@code verify FILE} on a real full backup made by a run, and on damaged copies of it. */
class VerifyCommandTest {

    @TempDir
    Path tmp;
    Path fullBackup;
    String minioPart;

    @BeforeEach
    void makeAFullBackup() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
            byte[] data = new byte[100_000];
            new java.util.Random(3).nextBytes(data);
            Files.write(minio.resolve("object"), data);
            wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", minio.getParent().toString())
                    .set("backup.keep-parts", "false");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            fullBackup = Path.of(record.get("fullBackup").get("file").asText());
            minioPart = "minio-127.0.0.1-" + wire.ssh.server.port() + "-minio-server1.tar";
            assertThat(Files.list(wire.runDir(record.get("runId").asText())).map(p -> p.getFileName().toString()))
                    .as("parts are removed after a good aggregation").containsExactly("run.json");
        }
    }

    @Test
    void aGoodFullBackupVerifiesPartByPart() {
        Cli.Result result = Cli.run("verify", fullBackup.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("2 parts in the manifest")
                .containsPattern("OK    wire-server\\.tar\\.gz  \\d+ bytes  sha256 [0-9a-f]{64}  2 tar entries")
                .containsPattern("OK    " + minioPart.replace(".", "\\.") + "  \\d+ bytes  sha256 [0-9a-f]{64}  3 tar entries")
                .contains("verified: " + fullBackup + " is a good full backup")
                .contains("OK    the whole file matches " + fullBackup.getFileName() + ".sha256");
    }

    @Test
    void theChecksumFileBesideTheFullBackupWorksWithSha256sumAndAWrongOneFails() throws Exception {
        Process check = new ProcessBuilder("sha256sum", "-c", fullBackup.getFileName() + ".sha256")
                .directory(fullBackup.getParent().toFile()).redirectErrorStream(true).start();
        assertThat(new String(check.getInputStream().readAllBytes())).contains(fullBackup.getFileName() + ": OK");
        assertThat(check.waitFor()).isZero();

        Path copy = Files.copy(fullBackup, Files.createDirectories(tmp.resolve("copy")).resolve(fullBackup.getFileName()));
        Files.writeString(tmp.resolve("copy").resolve(fullBackup.getFileName() + ".sha256"),
                "0".repeat(64) + "  " + fullBackup.getFileName() + "\n");
        Cli.Result result = Cli.run("verify", copy.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  the whole file's sha256 is ", ".sha256 says " + "0".repeat(64));
    }

    @Test
    void aCopyCutInsideTheEndMarkerOrRightAfterTheLastPartFails() throws Exception {
        long size = Files.size(fullBackup);
        long lastPartEnd = size - 1024;
        for (long cut : new long[] {size - 1, size - 512, size - 700, lastPartEnd}) {
            Path copy = tmp.resolve("cut-" + cut).resolve(fullBackup.getFileName());
            Files.createDirectories(copy.getParent());
            try (var in = Files.newInputStream(fullBackup); var out = Files.newOutputStream(copy)) {
                out.write(in.readNBytes((int) cut));
            }

            Cli.Result result = Cli.run("verify", copy.toString());

            assertThat(result.exitCode()).as("cut at " + cut + " of " + size + ":\n" + result.out()).isEqualTo(1);
            assertThat(result.out()).contains("NOT VERIFIED").containsPattern("FAIL  the (end-of-archive marker|archive"
                    + " ends in the middle)");
        }
    }

    @Test
    void aDamagedPaxHeaderFailsAsGnuTarRefusesIt() throws Exception {
        Path withPax = tmp.resolve("pax").resolve(fullBackup.getFileName());
        Files.createDirectories(withPax.getParent());
        TarEdit.rewriteWithPaxHeaders(fullBackup, withPax);
        assertThat(Cli.run("verify", withPax.toString()).exitCode()).as("a PAX header itself is fine").isZero();
        TarEdit.breakChecksumOfFirstPaxHeader(withPax);

        Cli.Result result = Cli.run("verify", withPax.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("has a wrong checksum");
        Process tar = new ProcessBuilder("tar", "-tf", withPax.toString()).redirectErrorStream(true).start();
        tar.getInputStream().readAllBytes();
        assertThat(tar.waitFor()).as("GNU tar refuses it too").isNotZero();
    }

    @Test
    void aFlippedByteIsFoundAndThePartNamed() throws Exception {
        Path copy = Files.copy(fullBackup, tmp.resolve("copy.tar"));
        TarEdit.flipByte(copy, TarEdit.dataOffset(copy, minioPart) + 50_000);

        Cli.Result result = Cli.run("verify", copy.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsPattern("FAIL  " + minioPart.replace(".", "\\.") + "  sha256 is [0-9a-f]{64}, expected")
                .contains("OK    wire-server.tar.gz").contains("NOT VERIFIED");
    }

    @Test
    void aTruncatedCopyIsFound() throws Exception {
        byte[] all = Files.readAllBytes(fullBackup);
        long cut = TarEdit.dataOffset(fullBackup, minioPart) + 30_000;
        Path copy = Files.write(tmp.resolve("copy.tar"), java.util.Arrays.copyOf(all, (int) cut));

        Cli.Result result = Cli.run("verify", copy.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  " + minioPart);
    }

    @Test
    void aMissingPartIsNamed() throws Exception {
        Path copy = TarEdit.copy(fullBackup, tmp.resolve("copy.tar"), (name, content) -> name.equals(minioPart) ? null : content);

        Cli.Result result = Cli.run("verify", copy.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  " + minioPart + "  missing from the full backup");
    }

    @Test
    void aTamperedManifestIsFound() throws Exception {
        String sha = new com.fasterxml.jackson.databind.ObjectMapper().readTree(TarEdit.read(fullBackup).get("manifest.json"))
                .get("parts").get(0).get("sha256").asText();
        Path tampered = TarEdit.copy(fullBackup, tmp.resolve("tampered.tar"), (name, content) ->
                name.equals("manifest.json") ? TarEdit.replace(content, sha, "0".repeat(64)) : content);
        Path malformed = TarEdit.copy(fullBackup, tmp.resolve("malformed.tar"), (name, content) ->
                name.equals("manifest.json") ? TarEdit.replace(content, "\"parts\"", "\"parts\" ::") : content);

        Cli.Result first = Cli.run("verify", tampered.toString());
        Cli.Result second = Cli.run("verify", malformed.toString());

        assertThat(first.exitCode()).isEqualTo(1);
        assertThat(first.out()).contains("sha256 is " + sha + ", expected " + "0".repeat(64));
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.out()).contains("FAIL  manifest.json is not well-formed JSON");
    }

    @Test
    void aPartWhoseTarHasNoEntriesIsFound() throws Exception {
        Path empty = tmp.resolve("empty.tar");
        Process tar = new ProcessBuilder("tar", "-cf", empty.toString(), "-T", "/dev/null").start();
        assertThat(tar.waitFor()).isZero();
        byte[] bytes = Files.readAllBytes(empty);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        Manifest manifest = new Manifest(1, "20261123T000000Z", "2026-11-23T00:00:00Z", "2026-11-23T00:00:01Z", "test",
                java.util.List.of(new Manifest.Part("empty.tar", "minio", "minio", "h", "/var/lib/minio-server1", null,
                        "tar", "none", bytes.length, sha, 0L, java.util.List.of())), "test-installation");
        Path backup = FullBackupWriter.write(Files.createDirectories(tmp.resolve("made")), manifest, java.util.List.of(empty)).file();

        Cli.Result result = Cli.run("verify", backup.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  empty.tar  the tar holds no entries");
    }

    @Test
    void aPartWithAnEntryThatWouldEscapeTheTargetFailsNamingPartAndEntry() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("hostile/var/lib/minio-server1"));
        Files.writeString(dir.resolve("object"), "data");
        Files.createSymbolicLink(dir.resolve("escape"), Path.of("/etc"));
        Path passwd = tmp.resolve("hostile/var/lib/passwd");
        Files.writeString(passwd, "root:x:0:0\n");
        Path part = tmp.resolve("minio-h-minio-server1.tar");
        // a link pointing outside, then an entry below it: GNU tar writes what it is told to (--transform)
        Process tar = new ProcessBuilder("tar", "-cf", part.toString(), "-C", dir.getParent().toString(),
                "--transform=s,^passwd$,minio-server1/escape/passwd,", "minio-server1", "passwd").start();
        assertThat(tar.waitFor()).isZero();
        byte[] bytes = Files.readAllBytes(part);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        Manifest manifest = new Manifest(1, "20261123T000000Z", "2026-11-23T00:00:00Z", "2026-11-23T00:00:01Z", "test",
                java.util.List.of(new Manifest.Part(part.getFileName().toString(), "minio", "minio", "h",
                        "/var/lib/minio-server1", null, "tar", "none", bytes.length, sha, 4L, java.util.List.of())),
                "test-installation");
        Path backup = FullBackupWriter.write(Files.createDirectories(tmp.resolve("made-hostile")), manifest,
                java.util.List.of(part)).file();

        Cli.Result result = Cli.run("verify", backup.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  minio-h-minio-server1.tar  holds an entry that could escape or harm the"
                + " target: minio-server1/escape/passwd (it lies below minio-server1/escape, a symbolic link of the part");
    }

    @Test
    void aFileThatIsNoFullBackupIsSaidSo() throws Exception {
        Path notTar = Files.writeString(tmp.resolve("notes.txt"), "not a backup");

        Cli.Result result = Cli.run("verify", notTar.toString());
        Cli.Result missing = Cli.run("verify", tmp.resolve("nope.tar").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("is not a file");
    }
}
