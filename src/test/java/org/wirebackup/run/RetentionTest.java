package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/** Retention and the disk pre-flight, through real runs. */
class RetentionTest {

    @TempDir
    Path tmp;

    @Test
    void aFailedNewestRunPrunesNothingAndTheLastGoodBackupStays() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp); LogCapture retention = LogCapture.of("org.wirebackup.run.Retention")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.retention.keep", "1").set("backup.keep-parts", "false");
            String path = wire.wireServerFolder.toString();

            String a = backup(wire, 0);
            String b = backup(wire, 0);
            assertThat(fullBackups(wire)).containsExactly(fullBackup(b));
            assertThat(retention.messages()).anyMatch(m -> m.startsWith("Retention: deleted full backup of run " + a));

            wire.set("backup.wire-server.path", path + "-gone");
            String c = backup(wire, 1);
            assertThat(fullBackups(wire)).as("nothing is pruned after a failed run").containsExactly(fullBackup(b));
            assertThat(record(wire, c).get("status").asText()).isEqualTo("failed");

            wire.set("backup.wire-server.path", path);
            String d = backup(wire, 0);
            assertThat(fullBackups(wire)).containsExactly(fullBackup(d));
            assertThat(runDirs(wire)).containsExactly(d);
            assertThat(retention.messages()).anyMatch(m -> m.startsWith("Retention: deleted full backup of run " + b))
                    .anyMatch(m -> m.startsWith("Retention: deleted run directory of failed run " + c));
        }
    }

    @Test
    void retentionNeverDeletesAPathOutsideTheBackupDirectoryThatARunRecordNames() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp)) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.retention.keep", "1");
            Path precious = Files.writeString(Files.createDirectories(tmp.resolve("elsewhere")).resolve("precious.tar"),
                    "not ours");
            String old = backup(wire, 0);
            // a record edited by hand, or written by another tool, naming a file outside BACKUP_DIR
            RunRecordStore store = new RunRecordStore(wire.backupDir);
            RunRecord record = store.read(store.recordFile(old));
            store.write(new RunRecord(record.formatVersion(), record.runId(), record.status(), record.trigger(),
                    record.startedAt(), record.finishedAt(), record.durationMillis(), record.toolVersion(),
                    record.runDir(), record.totalBytes(), record.sources(), new RunRecord.FullBackupRecord(
                    precious.toString(), 8, record.fullBackup().sha256(), false), record.destinations(),
                    record.error()));

            String next = backup(wire, 0);

            assertThat(precious).hasContent("not ours");
            assertThat(fullBackups(wire)).containsExactly(fullBackup(next));
        }
    }

    @Test
    void anUnconfirmedFullBackupOfAnInterruptedRunGoesOnceItIsOlderThanEveryBackupKept() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp);
             LogCapture retention = LogCapture.of("org.wirebackup.run.Retention")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.retention.keep", "1");
            RunRecordStore store = new RunRecordStore(wire.backupDir);
            String dead = "20200101T000000Z";
            Files.createDirectories(store.runDir(dead));
            store.write(new RunRecord(RunRecord.FORMAT_VERSION, dead, RunStatus.RUNNING, "cli", "2020-01-01T00:00:00Z",
                    null, null, "dev", store.runDir(dead).toString(), 0, List.of(), null, List.of(), null));
            Files.writeString(store.fullBackupFile(dead), "written; then the host lost power");

            String next = backup(wire, 0);

            assertThat(fullBackups(wire)).containsExactly(fullBackup(next));
            assertThat(runDirs(wire)).containsExactly(next);
            assertThat(retention.messages())
                    .anyMatch(m -> m.startsWith("Retention: deleted unconfirmed full backup of interrupted run " + dead));
        }
    }

    @Test
    void backupsOlderThanTheMaxAgeGoButTheNewestGoodOneAlwaysStays() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp)) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.retention.keep", "0").set("backup.retention.max-age", "2s");

            String a = backup(wire, 0);
            Thread.sleep(2500);
            String b = backup(wire, 0);

            assertThat(fullBackups(wire)).containsExactly(fullBackup(b));
            assertThat(runDirs(wire)).doesNotContain(a);
        }
    }

    @Test
    void aRunDoesNotStartWithoutEnoughFreeDiskAndSaysSo() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp); LogCapture alerts = LogCapture.alerts()) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.min-free-space", "1000000TB");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("error").asText()).startsWith("preflight failed: only ")
                    .contains("bytes free under " + wire.backupDir, "(backup.min-free-space)");
            assertThat(record.get("sources").get(0).get("status").asText()).isEqualTo("not run");
            assertThat(result.out()).contains("preflight failed");
            assertThat(alerts.text()).contains("step=preflight");
            assertThat(runDirs(wire)).hasSize(1);
            assertThat(Files.list(wire.runDir(record.get("runId").asText())).map(p -> p.getFileName().toString()))
                    .containsExactly("run.json");
        }
    }

    private static String backup(TestInstallation wire, int expectedExit) throws Exception {
        List<String> before = runDirs(wire);
        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());
        assertThat(result.exitCode()).as(result.out()).isEqualTo(expectedExit);
        List<String> after = runDirs(wire);
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return after.get(0);
    }

    private static JsonNode record(TestInstallation wire, String runId) throws Exception {
        return new ObjectMapper().readTree(wire.runDir(runId).resolve("run.json").toFile());
    }

    private static String fullBackup(String runId) {
        return "full-backup-" + runId + ".tar";
    }

    private static List<String> fullBackups(TestInstallation wire) throws Exception {
        try (Stream<Path> files = Files.list(wire.backupDir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("full-backup-"))
                    .sorted().toList();
            List<String> backups = names.stream().filter(n -> !n.endsWith(".sha256")).toList();
            // every full backup has its checksum beside it, and goes with it
            assertThat(names.stream().filter(n -> n.endsWith(".sha256")).toList())
                    .isEqualTo(backups.stream().filter(n -> n.endsWith(".tar")).map(n -> n + ".sha256").toList());
            return backups;
        }
    }

    private static List<String> runDirs(TestInstallation wire) throws Exception {
        Path runs = wire.backupDir.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return new java.util.ArrayList<>();
        }
        try (Stream<Path> dirs = Files.list(runs)) {
            return dirs.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        }
    }
}
