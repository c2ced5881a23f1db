package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordStoreTest {

    @TempDir
    Path backupDir;

    @Test
    void aRunLeftRunningByADeadProcessIsMarkedFailedAndItsPartialFilesRemoved() throws Exception {
        RunRecordStore store = new RunRecordStore(backupDir);
        Files.createDirectories(store.runDir("20261123T150000Z"));
        Files.createDirectories(store.runDir("20261123T160000Z"));
        store.write(record("20261123T150000Z", RunStatus.OK));
        store.write(record("20261123T160000Z", RunStatus.RUNNING));
        Path partial = Files.writeString(store.runDir("20261123T160000Z").resolve("wire-server.tar.gz.partial"), "half");

        store.closeInterruptedRuns();

        List<RunRecord> records = store.all();
        assertThat(records).extracting(RunRecord::runId).containsExactly("20261123T150000Z", "20261123T160000Z");
        assertThat(records.get(0).status()).isEqualTo(RunStatus.OK);
        assertThat(records.get(1).status()).isEqualTo(RunStatus.FAILED);
        assertThat(records.get(1).error()).startsWith("interrupted");
        assertThat(records.get(1).finishedAt()).isNotNull();
        assertThat(partial).doesNotExist();
        assertThat(store.latest()).map(RunRecord::runId).contains("20261123T160000Z");
    }

    private static RunRecord record(String id, RunStatus status) {
        return new RunRecord(RunRecord.FORMAT_VERSION, id, status, "cli", "2026-11-23T15:00:00Z", null, null, "dev",
                "/x", 0, List.of(), null, List.of(), null);
    }
}
