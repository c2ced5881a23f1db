package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/**
 * The packaged jar killed with SIGKILL in the middle of a capture, as an OOM kill or a power cut would stop it: the
 * next run closes the dead run as failed, raises an alert for it, and leaves no unfinished file behind.
 */
class InterruptedRunIT {

    @TempDir
    Path tmp;

    @Test
    void aRunKilledMidwayIsClosedAsFailedWithAnAlertByTheNextRun() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            wire.set("backup.commands", "slow")
                    .set("backup.command.slow.host", wire.ssh.hostSpec())
                    .set("backup.command.slow.command", "head -c 1000000 /dev/urandom; sleep 300")
                    .set("backup.command.slow.compression", "none")
                    // no retention: the next good run would prune the older failed run, whose record is checked here
                    .set("backup.retention.keep", "0");
            JarProcess.Started first = JarProcess.start(List.of("-Xmx256m"), Map.of(), tmp,
                    "backup", "--config", wire.writeSettings().toString());
            Path runs = wire.backupDir.resolve("runs");
            JarProcess.awaitWrittenPartial(runs, first);

            first.process().destroyForcibly().waitFor();

            JsonNode killed = wire.onlyRunRecord();
            String killedRun = killed.get("runId").asText();
            assertThat(killed.get("status").asText()).as("a dead process cannot close its record").isEqualTo("running");

            wire.set("backup.command.slow.command", "echo fine");
            try (LogCapture alerts = LogCapture.alerts()) {
                Cli.Result next = Cli.run("backup", "--config", wire.writeSettings().toString());

                assertThat(next.exitCode()).as(next.out()).isZero();
                assertThat(alerts.text()).contains("wire-backup ALERT run=" + killedRun + " step=run host=local",
                        "was interrupted: the wire-backup process ended during the run", "out of memory? a reboot?");
            }
            JsonNode closed = new ObjectMapper().readTree(runs.resolve(killedRun).resolve("run.json").toFile());
            assertThat(closed.get("status").asText()).isEqualTo("failed");
            assertThat(closed.get("error").asText()).startsWith("interrupted");
            try (Stream<Path> files = Files.walk(wire.backupDir)) {
                assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".partial"))
                        .noneMatch(f -> f.contains("full-backup-" + killedRun));
            }
        }
    }
}
