package org.wirebackup.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.archive.ChecksumSidecar;

/**
 * Keeps the newest {@code keep} full backups and every one younger than {@code maxAge} (a backup either rule keeps
 * stays); deletes the others with their run directories, and the directories of runs that failed before the oldest
 * backup kept. Runs only after a good run, and never deletes the newest good backup. Every deletion is logged.
 */
public final class Retention {

    public static final String STEP = "retention";
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final RunRecordStore store;
    private final int keep;
    private final Duration maxAge;

    /**
     * @param keep   how many of the newest full backups to keep; 0 for no count rule
     * @param maxAge keep every full backup younger than this; null for no age rule
     */
    public Retention(RunRecordStore store, int keep, Duration maxAge) {
        this.store = store;
        this.keep = keep;
        this.maxAge = maxAge;
    }

    public void apply(BackupRun current) throws StepFailedException {
        if (current.finalRecord() == null || !current.finalRecord().good() || (keep == 0 && maxAge == null)) {
            return;
        }
        try {
            current.fence().check("applying retention");
        } catch (Fence.LockLostException e) {
            LOG.error("Run {}: retention skipped: {}", current.id(), e.getMessage());
            return;
        }
        try {
            List<RunRecord> records = store.all();
            List<RunRecord> good = records.stream().filter(RunRecord::good)
                    .sorted(Comparator.comparing(RunRecord::runId).reversed()).toList();
            Set<String> kept = new HashSet<>();
            Instant now = Instant.now();
            for (int i = 0; i < good.size(); i++) {
                RunRecord record = good.get(i);
                boolean byCount = keep > 0 && i < keep;
                boolean byAge = maxAge != null && record.finishedAt() != null
                        && Duration.between(Instant.parse(record.finishedAt()), now).compareTo(maxAge) < 0;
                if (i == 0 || byCount || byAge) {
                    kept.add(record.runId());
                }
            }
            String oldestKept = kept.stream().min(String::compareTo).orElse(current.id());
            for (RunRecord record : records) {
                if (kept.contains(record.runId()) || record.runId().equals(current.id())) {
                    continue;
                }
                if (record.good()) {
                    // derived from BACKUP_DIR, never taken from the record: only what is ours is deleted
                    Path file = store.fullBackupFile(record.runId());
                    delete(file, "full backup of run " + record.runId());
                    delete(ChecksumSidecar.of(file), "checksum of run " + record.runId());
                    delete(store.runDir(record.runId()), "run directory of run " + record.runId());
                } else if (record.status() != RunStatus.RUNNING && record.runId().compareTo(oldestKept) < 0) {
                    Path fullBackup = store.fullBackupFile(record.runId());
                    delete(fullBackup.resolveSibling(fullBackup.getFileName() + FullBackup.INTERRUPTED_SUFFIX),
                            "unconfirmed full backup of interrupted run " + record.runId());
                    delete(fullBackup.resolveSibling(fullBackup.getFileName() + FullBackup.FAILED_SUFFIX),
                            "full backup of failed run " + record.runId());
                    delete(store.runDir(record.runId()), "run directory of " + record.status().json() + " run "
                            + record.runId() + " (older than the oldest backup kept)");
                }
            }
        } catch (IOException e) {
            throw new StepFailedException(current.id(), STEP, "local", "-", "retention failed: " + e.getMessage(), "",
                    "check permissions under backup.dir", e);
        }
    }

    private static void delete(Path path, String what) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.delete(p);
        }
        LOG.info("Retention: deleted {}: {}", what, path);
    }
}
