package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunStatus;
import org.wirebackup.run.SourceRecord;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TarEdit;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * The run verifies every part before the full backup is made, and reads the full backup back. Faults are injected
 * into the real pipeline with Camel's AdviceWith (a part damaged just before verify, the manifest tampered with
 * just before the read-back); the checks themselves are the application's.
 */
class VerifiedRunTest {

    @TempDir
    Path tmp;

    @Test
    void aGoodRunMakesAFullBackupThatExtractsPartByPartToWhatWasCaptured() throws Exception {
        try (TestInstallation wire = installationWithTwoSources()) {
            wire.set("backup.keep-parts", "false");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            var record = wire.onlyRunRecord();
            Path fullBackup = Path.of(record.get("fullBackup").get("file").asText());
            assertThat(fullBackup).hasFileName("full-backup-" + record.get("runId").asText() + ".tar");
            assertThat(record.get("fullBackup").get("sha256").asText()).isEqualTo(sha256(fullBackup));
            assertThat(record.get("fullBackup").get("bytes").asLong()).isEqualTo(Files.size(fullBackup));
            assertThat(Files.list(wire.runDir(record.get("runId").asText())).map(p -> p.getFileName().toString()))
                    .containsExactly("run.json");

            Path unpacked = Trees.extract(fullBackup, tmp.resolve("unpacked"));
            assertThat(Files.readString(unpacked.resolve("manifest.json"))).contains("\"formatVersion\" : 1",
                    "\"runId\" : \"" + record.get("runId").asText() + "\"", "\"entries\"", "\"sha256\"");
            Trees.assertSame(wire.wireServerFolder,
                    Trees.extract(unpacked.resolve("wire-server.tar.gz"), tmp.resolve("ws")).resolve("wire-server"));
            Path minioPart;
            try (Stream<Path> files = Files.list(unpacked)) {
                minioPart = files.filter(p -> p.getFileName().toString().startsWith("minio-")).findFirst().orElseThrow();
            }
            Trees.assertSame(wire.root.resolve("minio/var/lib/minio-server1"),
                    Trees.extract(minioPart, tmp.resolve("mn")).resolve("minio-server1"));
        }
    }

    @Test
    void aPartDamagedOnDiskBeforeVerificationFailsTheRunNamingIt() throws Exception {
        for (String damage : List.of("flip", "truncate", "delete")) {
            try (TestInstallation wire = installationWithTwoSources(tmp.resolve(damage));
                 LogCapture alerts = LogCapture.alerts()) {
                // each part is verified in its capture's route, as soon as it is in
                BackupRun run = AdvisedRun.run(wire.writeSettings(), "capture-source", (context, route) -> route
                        .weaveByToUri("direct://verify-part").before().process(exchange -> {
                    BackupRun.PartOfRun captured = exchange.getIn().getBody(BackupRun.PartOfRun.class);
                    if (!captured.part().name().equals("wire-server")) {
                        return;
                    }
                    Path part = captured.run().dir().resolve("wire-server.tar.gz");
                    switch (damage) {
                        case "flip" -> TarEdit.flipByte(part, Files.size(part) / 2);
                        case "truncate" -> Files.write(part, java.util.Arrays.copyOf(Files.readAllBytes(part), 40));
                        default -> Files.delete(part);
                    }
                }));

                RunRecord record = run.finalRecord();
                assertThat(record.status()).as(damage).isEqualTo(RunStatus.FAILED);
                SourceRecord source = record.sources().stream().filter(s -> s.name().equals("wire-server")).findFirst().orElseThrow();
                assertThat(source.error().step()).isEqualTo("verify");
                assertThat(source.error().message()).startsWith("part wire-server.tar.gz ")
                        .containsAnyOf("sha256 is", "is corrupt", "bytes, expected", "missing");
                assertThat(alerts.text()).contains("step=verify", "source=wire-server", "part wire-server.tar.gz");
                assertThat(record.fullBackup()).isNull();
                assertNoFullBackup(wire);
            }
        }
    }

    @Test
    void aTarWithNoEntriesFailsTheRun() throws Exception {
        try (TestInstallation wire = installationWithTwoSources()) {
            wire.set("backup.commands", "empty").set("backup.command.empty.host", wire.ssh.hostSpec())
                    .set("backup.command.empty.command", "tar -cf - -T /dev/null")
                    .set("backup.command.empty.format", "tar");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("verify failed: part empty.tar.gz the tar holds no entries");
            assertNoFullBackup(wire);
        }
    }

    @Test
    void aManifestTamperedWithBeforeTheReadBackFailsTheRunAndTheFullBackupIsRemoved() throws Exception {
        try (TestInstallation wire = installationWithTwoSources(); LogCapture alerts = LogCapture.alerts()) {
            BackupRun run = runWithFault(wire, "check-full-backup", exchange -> {
                Path fullBackup = Path.of(exchange.getIn().getBody(BackupRun.class).fullBackup().file());
                Path tampered = TarEdit.copy(fullBackup, tmp.resolve("tampered.tar"), (name, content) ->
                        name.equals("manifest.json") ? TarEdit.replace(content, "\"size\" : ", "\"size\" : 1") : content);
                Files.move(tampered, fullBackup, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            });

            RunRecord record = run.finalRecord();
            assertThat(record.status()).isEqualTo(RunStatus.FAILED);
            assertThat(record.error()).startsWith("check-full-backup failed: the full backup just written does not verify");
            assertThat(record.fullBackup()).isNull();
            assertThat(alerts.text()).contains("step=check-full-backup");
            assertNoFullBackup(wire);
        }
    }

    @Test
    void anEncryptedFullBackupIsReadBackAsCiphertextAndItsPartsAreGoneBeforeThat() throws Exception {
        try (TestInstallation wire = installationWithTwoSources(); LogCapture alerts = LogCapture.alerts()) {
            wire.set("backup.keep-parts", "false").set("backup.encryption.recipients",
                    org.wirebackup.crypto.AgeKeys.generate(tmp.resolve("age-key.txt")));
            java.util.List<String> inRunDirAtReadBack = new java.util.ArrayList<>();
            BackupRun run = runWithFault(wire, "check-full-backup", exchange -> {
                BackupRun current = exchange.getIn().getBody(BackupRun.class);
                try (Stream<Path> files = Files.list(current.dir())) {
                    files.map(f -> f.getFileName().toString()).forEach(inRunDirAtReadBack::add);
                }
                // one flipped bit of ciphertext on disk, after its sha256 was computed while writing
                Path fullBackup = Path.of(current.fullBackup().file());
                byte[] bytes = Files.readAllBytes(fullBackup);
                bytes[bytes.length / 2] ^= 0x01;
                Files.write(fullBackup, bytes);
            });

            assertThat(inRunDirAtReadBack).as("only the run record: the plaintext parts went once encrypted")
                    .containsExactly("run.json");
            RunRecord record = run.finalRecord();
            assertThat(record.status()).isEqualTo(RunStatus.FAILED);
            assertThat(record.error()).startsWith("check-full-backup failed: the full backup just written does not verify")
                    .contains("the whole file's sha256 is", ".tar.age.sha256 says");
            assertThat(alerts.text()).contains("step=check-full-backup");
            assertNoFullBackup(wire);
        }
    }

    private TestInstallation installationWithTwoSources() throws Exception {
        return installationWithTwoSources(tmp.resolve("wire"));
    }

    private static TestInstallation installationWithTwoSources(Path root) throws Exception {
        TestInstallation wire = TestInstallation.create(root);
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 3}\n");
        Files.writeString(wire.wireServerFolder.resolve("secrets.yaml"), "zAuth: key\n");
        Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/assets"));
        byte[] data = new byte[64_000];
        new java.util.Random(9).nextBytes(data);
        Files.write(minio.resolve("3-2-abc"), data);
        return wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", minio.getParent().toString());
    }

    /** One run through the application's routes, with {@code fault} done just before the pipeline sends to {@code step}. */
    private static BackupRun runWithFault(TestInstallation wire, String step, Processor fault) throws Exception {
        return AdvisedRun.run(wire.writeSettings(), "pipeline",
                (context, route) -> route.weaveByToUri("direct://" + step).before().process(fault));
    }

    private static void assertNoFullBackup(TestInstallation wire) throws Exception {
        try (Stream<Path> files = Files.list(wire.backupDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("full-backup-"));
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
