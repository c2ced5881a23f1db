package org.wirebackup.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/** The wire-server folder captured through the real application, against a real SSH server running real tar. */
class WireServerFolderCaptureTest {

    @TempDir
    Path tmp;

    @Test
    void archiveExtractsToIdenticalFiles() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp)) {
            fillLikeAnInstallation(wire.wireServerFolder);

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("status").asText()).isEqualTo("ok");
            JsonNode source = record.get("sources").get(0);
            Path archive = wire.part(record, source);
            assertThat(archive.getFileName()).hasToString("wire-server.tar.gz");
            assertThat(archive.getParent().getFileName().toString()).matches("\\d{8}T\\d{6}Z");
            assertThat(source.get("entries").asLong()).isEqualTo(Trees.tarEntryCount(archive));
            assertThat(source.get("bytes").asLong()).isEqualTo(Files.size(archive));
            assertThat(source.get("sha256").asText()).isEqualTo(sha256(archive));
            assertThat(source.get("exitStatus").asInt()).isZero();
            assertThat(source.get("host").asText()).isEqualTo(wire.ssh.target().toString());
            assertThat(record.get("durationMillis").asLong()).isNotNegative();

            Path extracted = Trees.extract(archive, tmp.resolve("restored"));
            Trees.assertSame(wire.wireServerFolder, extracted.resolve("wire-server"));

            assertThat(result.out()).contains("OK", "wire-server", source.get("sha256").asText(),
                    record.get("fullBackup").get("file").asText());
        }
    }

    @Test
    void uncompressedCaptureIsAPlainTar() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp)) {
            fillLikeAnInstallation(wire.wireServerFolder);
            wire.set("backup.wire-server.compression", "none");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            JsonNode record = wire.onlyRunRecord();
            Path archive = wire.part(record, record.get("sources").get(0));
            assertThat(archive.getFileName()).hasToString("wire-server.tar");
            Trees.assertSame(wire.wireServerFolder, Trees.extract(archive, tmp.resolve("restored")).resolve("wire-server"));
        }
    }

    @Test
    void aFolderWithAnAbsoluteLinkAndAFifoIsCapturedAsItIsWithWarningsAndRestoredWithTheLinkAsALink() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp)) {
            fillLikeAnInstallation(wire.wireServerFolder);
            // common on real hosts: certificates kept where the system keeps them
            Files.createSymbolicLink(wire.wireServerFolder.resolve("certs"), Path.of("/etc/ssl/certs"));
            Process fifo = new ProcessBuilder("mkfifo", wire.wireServerFolder.resolve("control.fifo").toString()).start();
            assertThat(fifo.waitFor()).isZero();
            Path restored = tmp.resolve("new-host/home/wire/wire-server");
            wire.set("restore.wire-server.path", restored.toString());

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("status").asText()).isEqualTo("ok");
            assertThat(record.get("sources").get(0).get("warnings").toString())
                    .contains("wire-server/certs is a symbolic link to /etc/ssl/certs, outside the part (kept as a link)",
                            "wire-server/control.fifo is a FIFO");
            assertThat(result.out()).contains("wire-server/certs is a symbolic link to /etc/ssl/certs");

            Cli.Result verify = Cli.run("verify", record.get("fullBackup").get("file").asText());
            assertThat(verify.exitCode()).as(verify.out()).isZero();
            assertThat(verify.out()).contains("note  wire-server.tar.gz  wire-server/certs is a symbolic link to /etc/ssl/certs");

            Cli.Result restore = Cli.run("restore", "latest", "--yes", "--config", wire.writeSettings().toString());
            assertThat(restore.exitCode()).as(restore.out() + restore.err()).isZero();
            assertThat(Files.readSymbolicLink(restored.resolve("certs"))).isEqualTo(Path.of("/etc/ssl/certs"));
            assertThat(restored.resolve("control.fifo")).satisfies(f -> assertThat(Files.isRegularFile(f,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse());
            assertThat(restored.resolve("values/wire-server/secrets.yaml")).hasContent("zAuth: secret-key\n");
            assertThat(restored.resolve("empty dir")).isEmptyDirectory();
        }
    }

    @Test
    void nonZeroRemoteExitFailsTheRunAndRaisesAnAlert() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp); LogCapture alerts = LogCapture.alerts()) {
            wire.set("backup.wire-server.path", wire.root.resolve("no/such/wire-server").toString());

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("status").asText()).isEqualTo("failed");
            JsonNode source = record.get("sources").get(0);
            assertThat(source.get("status").asText()).isEqualTo("failed");
            assertThat(source.get("exitStatus").asInt()).isEqualTo(2);
            assertThat(source.get("stderrTail").asText()).contains("no/such");
            assertThat(source.get("error").get("step").asText()).isEqualTo("capture");
            assertNoArchiveIn(wire.runDir(record.get("runId").asText()));
            assertThat(result.out()).contains("FAILED", "exited with status 2");
            assertThat(alerts.text())
                    .contains("run=" + record.get("runId").asText(), "step=capture",
                            "host=" + wire.ssh.target(), "source=wire-server", "exited with status 2", "hint:");
        }
    }

    @Test
    void tarFailingHalfWayLeavesNoCompleteLookingArchive() throws Exception {
        try (SshFixture ssh = SshFixture.startWithoutRootFileAccess(tmp.resolve("ssh"));
             TestInstallation wire = TestInstallation.create(tmp, ssh, "wire-host/home/wire/wire-server");
             LogCapture alerts = LogCapture.alerts()) {
            fillLikeAnInstallation(wire.wireServerFolder);
            // tar reads "a-values" first and writes it out, then cannot open "secrets" (as a non-root user could not)
            Path unreadable = wire.wireServerFolder.resolve("values/wire-server/secrets.yaml");
            Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("status").asText()).isEqualTo("failed");
            JsonNode source = record.get("sources").get(0);
            assertThat(source.get("stderrTail").asText())
                    .contains("secrets.yaml: Cannot open: Permission denied")
                    .contains("wire-backup: tar failed with exit status 2");
            assertThat(source.get("exitStatus").asInt()).isEqualTo(3);
            assertNoArchiveIn(wire.runDir(record.get("runId").asText()));
            assertThat(alerts.text()).contains("step=capture", "tar failed");
        }
    }

    @Test
    void hostileFolderNameIsArchivedAndNothingInItRuns() throws Exception {
        String hostile = "it's a \"dir\"/wire server; touch pwned1 $(touch pwned2) `touch pwned3` & touch pwned4 | x";
        try (TestInstallation wire = TestInstallation.create(tmp, SshFixture.start(tmp.resolve("ssh")), hostile)) {
            fillLikeAnInstallation(wire.wireServerFolder);

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            JsonNode record = wire.onlyRunRecord();
            Path extracted = Trees.extract(wire.part(record, record.get("sources").get(0)), tmp.resolve("restored"));
            Trees.assertSame(wire.wireServerFolder, extracted.resolve(wire.wireServerFolder.getFileName().toString()));
            try (Stream<Path> everything = Files.walk(tmp)) {
                assertThat(everything.map(p -> p.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("pwned"));
            }
        }
    }

    @Test
    void changedHostKeyFailsTheRunNamingTheHost() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp); LogCapture alerts = LogCapture.alerts()) {
            var other = org.wirebackup.demo.KeyMaterial.generateEcdsa();
            Files.writeString(wire.ssh.knownHosts, org.wirebackup.demo.KeyMaterial.knownHostsLine("127.0.0.1",
                    wire.ssh.server.port(), other.getPublic()) + "\n");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("CHANGED", "127.0.0.1:" + wire.ssh.server.port());
            assertThat(alerts.text()).contains("step=capture", "CHANGED", "known-hosts");
            assertNoArchiveIn(wire.runDir(wire.onlyRunRecord().get("runId").asText()));
        }
    }

    static void fillLikeAnInstallation(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("values/wire-server"));
        Files.createDirectories(folder.resolve("ansible/inventory/prod"));
        Files.createDirectories(folder.resolve("empty dir"));
        Files.writeString(folder.resolve("values/wire-server/a-values.yaml"), "brig:\n  replicas: 3\n");
        Files.writeString(folder.resolve("values/wire-server/secrets.yaml"), "zAuth: secret-key\n");
        Files.writeString(folder.resolve("ansible/inventory/prod/hosts.ini"), "[cassandra]\nc1 ansible_host=10.0.0.1\n");
        byte[] binary = new byte[300_000];
        new Random(42).nextBytes(binary);
        Files.write(folder.resolve("ansible/binary blob.bin"), binary);
        Path script = Files.writeString(folder.resolve("bin-deploy.sh"), "#!/bin/sh\necho deploy\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(folder.resolve("values/current"), Path.of("wire-server"));
    }

    /** A failed run leaves no part that looks complete, and no full backup. */
    static void assertNoArchiveIn(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("run.json");
        }
        try (Stream<Path> files = Files.list(runDir.getParent().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("full-backup-"));
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
