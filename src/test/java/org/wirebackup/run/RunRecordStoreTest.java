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
        recorded(store, "20261123T150000Z", RunStatus.OK);
        recorded(store, "20261123T160000Z", RunStatus.RUNNING);
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

    @Test
    void aFullBackupThatADeadRunWroteButNeverConfirmedIsKeptUnderANameThatDoesNotPassForAGoodOne() throws Exception {
        RunRecordStore store = new RunRecordStore(backupDir);
        recorded(store, "20261123T160000Z", RunStatus.RUNNING);
        recorded(store, "20261123T170000Z", RunStatus.RUNNING);
        Path written = Files.writeString(store.fullBackupFile("20261123T160000Z"), "renamed, then the process died");
        Path half = Files.writeString(backupDir.resolve("full-backup-20261123T170000Z.tar.partial"), "half");

        List<RunRecord> closed = store.closeInterruptedRuns();

        Path kept = backupDir.resolve("full-backup-20261123T160000Z.tar.interrupted");
        assertThat(closed).extracting(RunRecord::runId).containsExactly("20261123T160000Z", "20261123T170000Z");
        assertThat(written).doesNotExist();
        assertThat(kept).hasContent("renamed, then the process died");
        assertThat(half).doesNotExist();
        assertThat(store.all()).allMatch(r -> r.status() == RunStatus.FAILED && !r.good());
        assertThat(store.all().get(0).error()).contains("never confirmed: kept as " + kept, "run `verify` on it");
    }

    @Test
    void anEncryptedRunThatDiedLeavesNeitherItsHalfWrittenCiphertextNorItsPlaintextParts() throws Exception {
        RunRecordStore store = new RunRecordStore(backupDir);
        recorded(store, "20261123T160000Z", RunStatus.RUNNING);
        Path part = Files.writeString(store.runDir("20261123T160000Z").resolve("wire-server.tar.gz"), "secrets");
        Path half = Files.writeString(backupDir.resolve("full-backup-20261123T160000Z.tar.age.partial"), "half");

        store.closeInterruptedRuns(false);

        assertThat(half).doesNotExist();
        assertThat(part).as("the plaintext part goes with the run").doesNotExist();
        assertThat(store.runDir("20261123T160000Z").resolve(RunRecordStore.RECORD_FILE)).exists();
        assertThat(store.all().get(0).status()).isEqualTo(RunStatus.FAILED);
    }

    private static void recorded(RunRecordStore store, String id, RunStatus status) throws Exception {
        Files.createDirectories(store.runDir(id));
        store.write(new RunRecord(RunRecord.FORMAT_VERSION, id, status, "cli", "2026-11-23T15:00:00Z", null, null, "dev",
                "/x", 0, List.of(), null, List.of(), null));
    }
}
