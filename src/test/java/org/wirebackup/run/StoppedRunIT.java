package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.TestInstallation;

/**
 * SIGTERM (a container stop, systemd) during a run of the packaged jar: the run ends well within the shutdown
 * timeout, its record says failed (step run, stopped), an alert goes out, and no unfinished file is left.
 */
class StoppedRunIT {

    @TempDir
    Path tmp;

    @Test
    void sigtermDuringARunEndsItCleanlyAndSaysSo() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.commands", "slow")
                    .set("backup.command.slow.host", wire.ssh.hostSpec())
                    .set("backup.command.slow.command", "head -c 1000000 /dev/urandom; sleep 300")
                    .set("backup.command.slow.compression", "none")
                    .set("backup.schedule.cron", "* * * * * ?")
                    .set("camel.management.enabled", "false")
                    .set("camel.main.shutdown-timeout", "30");
            JarProcess.Started service = JarProcess.start(List.of("-Xmx256m"), Map.of(), tmp,
                    "run", "--config", wire.writeSettings().toString());
            Path runs = wire.backupDir.resolve("runs");
            JarProcess.awaitWrittenPartial(runs, service);

            long stopAt = System.nanoTime();
            service.process().destroy(); // SIGTERM
            assertThat(service.process().waitFor(25, TimeUnit.SECONDS)).as("ended within the shutdown timeout")
                    .isTrue();
            long tookMillis = (System.nanoTime() - stopAt) / 1_000_000;

            String output = Files.readString(service.log());
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("status").asText()).as(output).isEqualTo("failed");
            assertThat(record.get("error").asText()).startsWith("run failed: stopped: wire-backup is shutting down");
            assertThat(output).contains("wire-backup ALERT run=" + record.get("runId").asText() + " step=run host=local");
            assertThat(tookMillis).as("stopped at once, not after the 30 s timeout").isLessThan(20_000);
            try (Stream<Path> files = Files.walk(wire.backupDir)) {
                assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".partial"))
                        .noneMatch(f -> f.contains("full-backup-"));
            }
        }
    }
}
