package org.wirebackup.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A run's record ({@code runs/<run id>/run.json}): written when the run starts and again when it ends. Monitoring,
 * {@code check}, retention and the restore read it; fields are only ever added.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        int formatVersion,
        String runId,
        RunStatus status,
        String trigger,
        String startedAt,
        String finishedAt,
        Long durationMillis,
        String toolVersion,
        String runDir,
        long totalBytes,
        List<SourceRecord> sources,
        FullBackupRecord fullBackup,
        List<DestinationRecord> destinations,
        String error) {

    public static final int FORMAT_VERSION = 1;

    public RunRecord {
        sources = List.copyOf(sources);
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
    }

    public RunRecord interrupted(String finishedAt, String why) {
        return new RunRecord(formatVersion, runId, RunStatus.FAILED, trigger, startedAt, finishedAt, durationMillis,
                toolVersion, runDir, totalBytes, sources, fullBackup, destinations, why);
    }

    /** A run that made a full backup ({@code ok} or {@code partial}). */
    public boolean good() {
        return (status == RunStatus.OK || status == RunStatus.PARTIAL) && fullBackup != null;
    }

    /**
     * The full backup a run made: {@code BACKUP_DIR/full-backup-<run id>.tar}, or {@code .tar.age} encrypted to
     * {@code encryptedTo} (the recipients' public keys: which identity reads it, after a rotation too).
     */
    public record FullBackupRecord(String file, long bytes, String sha256, boolean partsKept,
                                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> encryptedTo) {
        public FullBackupRecord {
            encryptedTo = encryptedTo == null ? List.of() : List.copyOf(encryptedTo);
        }

        public FullBackupRecord(String file, long bytes, String sha256, boolean partsKept) {
            this(file, bytes, sha256, partsKept, List.of());
        }
    }
}
