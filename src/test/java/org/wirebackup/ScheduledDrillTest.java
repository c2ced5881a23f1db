package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.restore.drill.DrillRun;
import org.wirebackup.run.RunLock;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.TestInstallation;

/** The {@code run} service drills on {@code backup.drill.cron}, and a drill never overlaps a backup run. */
class ScheduledDrillTest {

    @TempDir
    Path tmp;

    @Test
    void theRunServiceDrillsOnItsScheduleAndADrillNeverOverlapsABackupRun() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 3}\n");
            Path scratch = scratch(wire);
            Path settings = backedUpWithADrillHost(wire, scratch);

            try (RunLock run = RunLock.tryAcquire(wire.backupDir).orElseThrow()) {
                Cli.Result skipped = Cli.run("drill", "--config", settings.toString());
                assertThat(skipped.exitCode()).isEqualTo(1);
                assertThat(skipped.err()).contains("drill skipped: a backup run (or another drill) is in progress");
            }
            Path drills = wire.backupDir.resolve("drills");
            assertThat(drills).doesNotExist();

            settings = wire.set("backup.drill.cron", onceIn(Duration.ofSeconds(5))).writeSettings();
            Main service = WireBackupApplication.camelMain(settings, true);
            service.start();
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (records(drills).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            } finally {
                service.stop();
            }

            List<Path> records = records(drills);
            assertThat(records).as("the schedule drilled").isNotEmpty();
            for (Path record : records) {
                assertThat(new ObjectMapper().readTree(record.toFile()).get("status").asText())
                        .as(Files.readString(record)).isEqualTo("ok");
            }
            try (Stream<Path> left = Files.list(scratch)) {
                assertThat(left).as("no scratch data left").isEmpty();
            }
        }
    }

    @Test
    void aDrillUnderWayWhenTheServiceStopsIsRecordedAsStoppedNotAsAnSshError() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Path scratch = scratch(wire);
            Path settings = backedUpWithADrillHost(wire, scratch);
            CountDownLatch restoring = new CountDownLatch(1);
            DrillRun.beforeProofForTests((host, dir) -> restoring.countDown());
            settings = wire.set("backup.drill.cron", onceIn(Duration.ofSeconds(5))).writeSettings();
            Main service = WireBackupApplication.camelMain(settings, true);
            try {
                service.start();
                assertThat(restoring.await(60, TimeUnit.SECONDS)).as("the scheduled drill started").isTrue();
            } finally {
                service.stop();
                DrillRun.beforeProofForTests(null);
            }

            List<Path> records = records(wire.backupDir.resolve("drills"));
            assertThat(records).hasSize(1);
            JsonNode record = new ObjectMapper().readTree(records.get(0).toFile());
            assertThat(record.get("status").asText()).isEqualTo("failed");
            assertThat(record.get("error").asText()).startsWith("stopped: wire-backup was shutting down");
        }
    }

    private static Path scratch(TestInstallation wire) throws Exception {
        return Files.createDirectories(wire.root.resolve("scratch-host/var/tmp/wire-drill"));
    }

    /** An SSH backup host to drill from, a scratch directory, no backup schedule; one backup made. */
    private static Path backedUpWithADrillHost(TestInstallation wire, Path scratch) throws Exception {
        Path offsite = wire.root.resolve("backup-host/srv/wire-backups");
        DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), offsite, 3);
        Path settings = wire.set("backup.drill.from", "backup-host").set("backup.drill.host", wire.ssh.hostSpec())
                .set("backup.drill.dir", scratch.toString())
                .set("backup.schedule.cron", "0 0 0 1 1 ? 2099").set("camel.management.enabled", "false")
                .writeSettings();
        assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
        return settings;
    }

    /**
     * A cron that fires once, a few seconds from now: a drill still under way when the service stops is stopped
     * and fails by design (as a run does), so a schedule that fires again would race the test's stop.
     */
    private static String onceIn(Duration delay) {
        LocalTime at = LocalTime.now().plus(delay);
        return at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * ?";
    }

    private static List<Path> records(Path drills) throws Exception {
        if (!Files.isDirectory(drills)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(drills)) {
            return dirs.map(d -> d.resolve("drill.json")).filter(Files::exists).toList();
        }
    }
}
