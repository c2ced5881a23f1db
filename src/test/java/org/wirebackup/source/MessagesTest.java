package org.wirebackup.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.AdvisedRun;
import org.wirebackup.run.BackupRun;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TarEdit;
import org.wirebackup.testing.TestInstallation;

/** Messages point at the real cause, and never show a secret written into a command. */
class MessagesTest {

    @TempDir
    Path tmp;

    @Test
    void aFullLocalDiskWhileWritingAPartBlamesTheLocalDisk() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire")); LogCapture alerts = LogCapture.alerts()) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            // the part is written through a link to /dev/full, which answers every write with ENOSPC
            BackupRun run = AdvisedRun.run(wire.writeSettings(), "capture-source", (context, route) -> route
                    .weaveAddFirst().process(e -> {
                        BackupRun.SourceCapture capture = e.getIn().getBody(BackupRun.SourceCapture.class);
                        Files.createSymbolicLink(capture.run().dir().resolve("wire-server.tar.gz.partial"),
                                Path.of("/dev/full"));
                    }));

            assertThat(run.finalRecord().error()).contains("here failed", "No space left on device");
            assertThat(alerts.text()).contains("hint: the disk under backup.dir on this host")
                    .doesNotContain("check the network");
        }
    }

    @Test
    void aSecretInACommandIsHiddenInLogsRecordsAndTheManifestButTheCommandRunsWithIt() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
             LogCapture logs = LogCapture.of("org.wirebackup")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.commands", "pg")
                    .set("backup.command.pg.host", wire.ssh.hostSpec())
                    .set("backup.command.pg.command", "PGPASSWORD=hunter2 sh -c 'echo \"$PGPASSWORD\" | wc -c'");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.toString()).contains("PGPASSWORD=***").doesNotContain("hunter2");
            Path fullBackup = Path.of(record.get("fullBackup").get("file").asText());
            assertThat(new String(TarEdit.read(fullBackup).get("manifest.json"))).contains("PGPASSWORD=***")
                    .doesNotContain("hunter2");
            assertThat(logs.text()).doesNotContain("hunter2");
            assertThat(result.out() + result.err()).doesNotContain("hunter2");
            // the command itself ran with the real value: "hunter2\n" is 8 bytes
            try (var part = new java.util.zip.GZIPInputStream(Files.newInputStream(
                    wire.runDir(record.get("runId").asText()).resolve("pg.gz")))) {
                assertThat(new String(part.readAllBytes()).strip()).isEqualTo("8");
            }
        }
    }

    @Test
    void aSecretInAFailingCommandIsHiddenInItsAlert() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire")); LogCapture alerts = LogCapture.alerts()) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.commands", "broken")
                    .set("backup.command.broken.host", wire.ssh.hostSpec())
                    .set("backup.command.broken.command", "echo dumping with --password=s3cr3t-value >&2; exit 3");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(alerts.text()).contains("step=capture", "--password=***").doesNotContain("s3cr3t-value");
            assertThat(wire.onlyRunRecord().toString()).doesNotContain("s3cr3t-value");
        }
    }
}
