package org.wirebackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.wirebackup.config.ConfigurationException;
import org.wirebackup.run.RunIds;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;

/** The full backup a restore reads: a file, a run id of this backup directory, or {@code latest} good one. */
public final class RestoreSource {

    public static final String LATEST = "latest";
    private static final String ARGUMENT = "SOURCE";

    private RestoreSource() {
    }

    public static Path resolve(String source, RunRecordStore store) throws IOException {
        if (LATEST.equals(source)) {
            List<RunRecord> good = store.all().stream().filter(RunRecord::good)
                    .filter(r -> Files.isRegularFile(store.fullBackupFile(r.runId()))).toList();
            if (good.isEmpty()) {
                throw new ConfigurationException(ARGUMENT, "no good full backup under " + store.runsDir().getParent()
                        + " (name a file, or fetch a copy first)");
            }
            return store.fullBackupFile(good.get(good.size() - 1).runId());
        }
        if (RunIds.isRunId(source)) {
            Path file = store.fullBackupFile(source);
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException(ARGUMENT, "run " + source + " has no full backup here (" + file + ")");
            }
            return file;
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(ARGUMENT, "'" + source + "' is no full-backup file, run id or 'latest'");
        }
        return file;
    }
}
