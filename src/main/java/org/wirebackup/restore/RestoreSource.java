package org.wirebackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.wirebackup.config.ConfigurationException;
import org.wirebackup.run.FullBackup;
import org.wirebackup.run.RunIds;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;

/** The full backup a restore reads: a file, a run id of this backup directory, or {@code latest} good one. */
public final class RestoreSource {

    public static final String LATEST = "latest";
    private static final String ARGUMENT = "SOURCE";

    private RestoreSource() {
    }

    /**
     * The newest full backup in the backup directory that may be good: a good run's, or a copy fetched back from a
     * destination ({@code restore --from}), which has no run record here; never that of a run recorded as failed.
     * The restore verifies it whole before it changes anything.
     */
    private static Path latest(RunRecordStore store) throws IOException {
        Map<String, RunRecord> records = new HashMap<>();
        store.all().forEach(r -> records.put(r.runId(), r));
        TreeMap<String, Path> candidates = new TreeMap<>();
        records.values().stream().filter(RunRecord::good)
                .filter(r -> Files.isRegularFile(store.fullBackupFile(r.runId())))
                .forEach(r -> candidates.put(r.runId(), store.fullBackupFile(r.runId())));
        Path backupDir = store.runsDir().getParent();
        try (Stream<Path> files = Files.list(backupDir)) {
            files.filter(Files::isRegularFile).filter(f -> FullBackup.isFileName(f.getFileName().toString()))
                    .filter(f -> !records.containsKey(FullBackup.runIdOf(f.getFileName().toString())))
                    .forEach(f -> candidates.put(FullBackup.runIdOf(f.getFileName().toString()), f));
        }
        if (candidates.isEmpty()) {
            throw new ConfigurationException(ARGUMENT, "no good full backup under " + backupDir
                    + " (name a file, or fetch a copy first: restore --from NAME)");
        }
        return candidates.lastEntry().getValue();
    }

    public static Path resolve(String source, RunRecordStore store) throws IOException {
        if (LATEST.equals(source)) {
            return latest(store);
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
