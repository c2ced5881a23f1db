package org.wirebackup.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.io.DurableFiles;
import org.wirebackup.io.PrivateFiles;
import java.util.concurrent.ConcurrentHashMap;
import org.wirebackup.archive.ChecksumSidecar;

/** The run records under {@code BACKUP_DIR/runs/}: each written whole (temp file, sync, rename), never half. */
public final class RunRecordStore implements RunHistory {

    public static final String RECORD_FILE = "run.json";
    /**
     * The S3 uploads a run started and did not end: kept with the record when a failed or interrupted run's files go,
     * so that the next copy aborts them by id.
     */
    public static final String UPLOAD_JOURNAL = "s3-uploads";
    private static final Logger LOG = LoggerFactory.getLogger(RunRecordStore.class);

    private final Path backupDir;
    private final Path runsDir;
    private final Map<Path, String> unreadable = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunRecordStore(Path backupDir) {
        this.backupDir = backupDir;
        this.runsDir = backupDir.resolve("runs");
    }

    public Path backupDir() {
        return backupDir;
    }

    /**
     * A run's full backup: {@code BACKUP_DIR/full-backup-<run id>.tar.age} when that one (or its .partial,
     * .interrupted or .failed) is there (the run encrypted it), else {@code full-backup-<run id>.tar}.
     */
    public Path fullBackupFile(String runId) {
        Path encrypted = backupDir.resolve(FullBackup.fileName(runId, true));
        for (String suffix : List.of("", FullBackup.INTERRUPTED_SUFFIX, FullBackup.FAILED_SUFFIX, ".partial")) {
            if (Files.exists(encrypted.resolveSibling(encrypted.getFileName() + suffix))) {
                return encrypted;
            }
        }
        return backupDir.resolve(FullBackup.fileName(runId));
    }

    public Path runsDir() {
        return runsDir;
    }

    public Path runDir(String runId) {
        return runsDir.resolve(runId);
    }

    public Path recordFile(String runId) {
        return runDir(runId).resolve(RECORD_FILE);
    }

    public void write(RunRecord record) throws IOException {
        Path target = recordFile(record.runId());
        Path temp = DurableFiles.partialOf(target);
        try (FileChannel channel = PrivateFiles.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(json.writeValueAsBytes(record));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(target.getParent());
    }

    public RunRecord read(Path recordFile) throws IOException {
        return json.readValue(recordFile.toFile(), RunRecord.class);
    }

    /**
     * Every readable record, oldest first. A record that cannot be read (corrupt, cut short) is skipped and logged,
     * and kept in {@link #unreadable()} for an alert: it never blocks a run, {@code check} or monitoring.
     */
    @Override
    public List<RunRecord> all() throws IOException {
        List<RunRecord> records = new ArrayList<>();
        if (!Files.isDirectory(runsDir)) {
            return records;
        }
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path dir : dirs.filter(d -> RunIds.isRunId(d.getFileName().toString())).sorted().toList()) {
                Path file = dir.resolve(RECORD_FILE);
                if (Files.isRegularFile(file)) {
                    try {
                        records.add(read(file));
                    } catch (IOException e) {
                        if (unreadable.put(file, describe(e)) == null) {
                            LOG.error("Run record {} cannot be read and is skipped: {}", file, describe(e));
                        }
                    }
                }
            }
        }
        return records;
    }

    /** The records {@link #all()} had to skip, with why: file -> problem. */
    public Map<Path, String> unreadable() {
        return Map.copyOf(unreadable);
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    public Optional<RunRecord> latest() throws IOException {
        List<RunRecord> records = all();
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    /**
     * Marks runs still recorded as running as failed and removes their unfinished files. Called while holding the run
     * lock, so no such run can still be alive: its process died (killed, crashed, host rebooted). A full backup such a
     * run had already written was never confirmed (read back, copied, recorded): it is kept, renamed so that it does
     * not pass for a good one.
     *
     * @return the closed runs' records, for the alert
     */
    public List<RunRecord> closeInterruptedRuns() throws IOException {
        return closeInterruptedRuns(true);
    }

    /**
     * @param keepParts false: the interrupted run's part files go too (as a failed run's do); they are the only
     *                  plaintext copy when full backups are encrypted
     */
    public List<RunRecord> closeInterruptedRuns(boolean keepParts) throws IOException {
        List<RunRecord> closed = new ArrayList<>();
        for (RunRecord record : all()) {
            if (record.status() != RunStatus.RUNNING) {
                continue;
            }
            String why = "interrupted: the wire-backup process ended during the run";
            Path fullBackup = fullBackupFile(record.runId());
            Files.deleteIfExists(DurableFiles.partialOf(fullBackup));
            Path sidecar = ChecksumSidecar.of(fullBackup);
            Files.deleteIfExists(DurableFiles.partialOf(sidecar));
            Files.deleteIfExists(sidecar);
            if (Files.exists(fullBackup)) {
                Path kept = fullBackup.resolveSibling(fullBackup.getFileName() + FullBackup.INTERRUPTED_SUFFIX);
                Files.move(fullBackup, kept, StandardCopyOption.ATOMIC_MOVE);
                why += "; its full backup was written but never confirmed: kept as " + kept
                        + " (run `verify` on it before any use)";
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir(record.runId()))) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".partial") || (!keepParts && !name.equals(RECORD_FILE)
                            && !name.equals(UPLOAD_JOURNAL))) {
                        Files.deleteIfExists(file);
                    }
                }
            }
            LOG.warn("Run {} was {}; marking it failed", record.runId(), why);
            RunRecord failed = record.interrupted(Instant.now().toString(), why);
            write(failed);
            closed.add(failed);
        }
        return closed;
    }
}
