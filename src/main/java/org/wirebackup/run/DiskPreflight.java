package org.wirebackup.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.wirebackup.alert.StepFailedException;

/**
 * A run does not start when the backup directory's disk has less free space than {@code backup.min-free-space}, or,
 * by default, than twice the size of the last full backup (its parts, then the full backup, side by side).
 */
public final class DiskPreflight {

    public static final String STEP = "preflight";

    private final Path backupDir;
    private final OptionalLong minFreeBytes;
    private final RunRecordStore store;

    public DiskPreflight(Path backupDir, OptionalLong minFreeBytes, RunRecordStore store) {
        this.backupDir = backupDir;
        this.minFreeBytes = minFreeBytes;
        this.store = store;
    }

    public void check(BackupRun run) throws StepFailedException {
        try {
            long required = minFreeBytes.orElse(2 * lastFullBackupBytes());
            long free = Files.getFileStore(backupDir).getUsableSpace();
            if (free < required) {
                String message = "only " + free + " bytes free under " + backupDir + ", the run needs " + required
                        + (minFreeBytes.isPresent() ? " (backup.min-free-space)" : " (twice the last full backup)");
                run.stop(STEP, message);
                throw new StepFailedException(run.id(), STEP, "local", "-", message, "",
                        "free disk space under backup.dir (retention: backup.retention.*), or lower backup.min-free-space",
                        null);
            }
        } catch (IOException e) {
            run.stop(STEP, "cannot read the free space under " + backupDir + ": " + e.getMessage());
            throw new StepFailedException(run.id(), STEP, "local", "-", e.getMessage(), "", null, e);
        }
    }

    private long lastFullBackupBytes() throws IOException {
        return store.all().stream().filter(RunRecord::good).reduce((a, b) -> b)
                .map(r -> r.fullBackup().bytes()).orElse(0L);
    }
}
