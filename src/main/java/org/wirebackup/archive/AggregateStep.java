package org.wirebackup.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.crypto.AgeRecipients;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.FullBackup;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.SourceRecord;

/**
 * Puts the verified parts and their manifest into {@code BACKUP_DIR/full-backup-<run id>.tar}; then
 * ({@link #checkFullBackup}) reads it back through the same check as {@code verify} and removes the run's part files
 * (unless {@code backup.keep-parts}).
 */
public final class AggregateStep {

    public static final String STEP = "aggregate";
    public static final String CHECK_STEP = "check-full-backup";
    private static final Logger LOG = LoggerFactory.getLogger(AggregateStep.class);

    private final Path backupDir;
    private final boolean keepParts;
    private final String installationId;
    private final AgeRecipients recipients;

    public AggregateStep(Path backupDir, boolean keepParts, String installationId, AgeRecipients recipients) {
        this.backupDir = backupDir;
        this.keepParts = keepParts;
        this.installationId = installationId;
        this.recipients = recipients;
    }

    public void aggregate(BackupRun run) throws StepFailedException {
        List<String> notVerified = run.sourcesNotVerified();
        if (!notVerified.isEmpty()) {
            throw fail(run, STEP, "no full backup is made without every configured source; no verified part for: "
                    + String.join(", ", notVerified), null);
        }
        List<SourceRecord> parts = run.results().stream().sorted(Comparator.comparing(SourceRecord::name)).toList();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, run.id(), run.startedAt().toString(),
                Instant.now().toString(), run.toolVersion(), parts.stream().map(AggregateStep::part).toList(),
                installationId);
        FullBackup backup;
        try {
            backup = FullBackupWriter.write(backupDir, manifest,
                    parts.stream().map(p -> run.dir().resolve(p.file())).toList(), recipients);
            try {
                ChecksumSidecar.write(backup.file(), backup.sha256());
            } catch (IOException e) {
                deleteQuietly(backup.file());
                throw e;
            }
        } catch (IOException e) {
            throw fail(run, STEP, "writing " + FullBackup.fileName(run.id(), recipients.enabled()) + " failed: "
                    + e.getMessage(), e);
        }
        if (recipients.enabled()) {
            // encrypted, the parts are the only plaintext copy on this host: gone as soon as they are in it
            removeParts(run);
        }
        run.madeFullBackup(new RunRecord.FullBackupRecord(backup.file().toString(), backup.bytes(), backup.sha256(),
                keepParts, recipients.keys()));
        LOG.info("Run {}: full backup {} ({} bytes, sha256 {}) with {} parts", run.id(), backup.file(), backup.bytes(),
                backup.sha256(), parts.size());
    }

    /** Reads the full backup back as {@code verify} would; a bad one is removed and fails the run. */
    public void checkFullBackup(BackupRun run) throws StepFailedException {
        RunRecord.FullBackupRecord backup = run.fullBackup();
        Path file = Path.of(backup.file());
        FullBackupVerifier.Report readBack = FullBackupVerifier.verify(file);
        if (!readBack.ok() || !backup.sha256().equals(readBack.sha256())) {
            deleteQuietly(file);
            deleteQuietly(ChecksumSidecar.of(file));
            run.madeFullBackup(null);
            throw fail(run, CHECK_STEP, "the full backup just written does not verify (removed): "
                    + (readBack.ok() ? "its sha256 on disk is " + readBack.sha256() + ", " + backup.sha256()
                            + " was written" : problems(readBack)), null);
        }
        LOG.info(readBack.sealed() ? "Run {}: read back {}: its ciphertext has the sha256 written (the parts were"
                + " verified before it was encrypted)" : "Run {}: read back and verified {}", run.id(), file);
        if (!keepParts) {
            removeParts(run);
        }
    }

    private static void removeParts(BackupRun run) {
        for (SourceRecord part : run.results()) {
            deleteQuietly(run.dir().resolve(part.file()));
        }
    }

    private static Manifest.Part part(SourceRecord record) {
        return new Manifest.Part(record.file(), record.name(), record.kind(), record.host(), record.remotePath(),
                record.command(), record.format(), record.compression(), record.bytes(), record.sha256(),
                "tar".equals(record.format()) ? record.entries() : null, record.warnings(), record.tablePartitions());
    }

    static String problems(FullBackupVerifier.Report report) {
        return java.util.stream.Stream.concat(report.problems().stream(),
                        report.parts().stream().filter(p -> !p.ok()).map(p -> p.name() + " " + p.problem()))
                .collect(Collectors.joining("; "));
    }

    private static StepFailedException fail(BackupRun run, String step, String message, Throwable cause) {
        run.stop(step, message);
        return new StepFailedException(run.id(), step, "local", "-", message, "",
                "check the disk under backup.dir (space, errors in the kernel log)", cause);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", file, e.getMessage());
        }
    }
}
