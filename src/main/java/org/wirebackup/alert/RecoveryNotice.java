package org.wirebackup.alert;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunHistory;
import org.wirebackup.run.RunStatus;

/** After a good run that follows a failed or partial one, tells the channels that backups work again. */
public final class RecoveryNotice {

    private final RunHistory store;
    private final AlertDispatcher channels;
    private final boolean enabled;

    public RecoveryNotice(RunHistory store, AlertDispatcher channels, boolean enabled) {
        this.store = store;
        this.channels = channels;
        this.enabled = enabled;
    }

    public void afterRun(BackupRun run) throws IOException {
        RunRecord current = run.finalRecord();
        if (!enabled || current == null || current.status() != RunStatus.OK) {
            return;
        }
        List<RunRecord> finished = store.all().stream()
                .filter(r -> r.status() != RunStatus.RUNNING && r.runId().compareTo(current.runId()) < 0).toList();
        if (finished.isEmpty()) {
            return;
        }
        RunRecord previous = finished.get(finished.size() - 1);
        if (previous.status() == RunStatus.FAILED || previous.status() == RunStatus.PARTIAL) {
            String text = "wire-backup RECOVERED: run " + current.runId() + " ok (" + current.fullBackup().file()
                    + ") after " + previous.status().json() + " run " + previous.runId() + ": " + previous.error();
            channels.send(new Notice("wire-backup recovered: run " + current.runId() + " ok", text,
                    Map.of("event", "recovery", "runId", current.runId(), "previousRunId", previous.runId())));
        }
    }
}
