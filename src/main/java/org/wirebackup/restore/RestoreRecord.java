package org.wirebackup.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.wirebackup.io.PrivateJsonFile;

/**
 * {@code BACKUP_DIR/restores/<id>/restore.json}: what a restore did, per part, and its wall time: the measured RTO.
 *
 * @param startedAt      when the restore command started (its start-up, the fetch of a copy, decryption and the
 *                       whole-file verification count)
 * @param durationMillis from the command's start to the last part restored and checked: the RTO
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreRecord(String restoreId, String status, String fullBackup, String runId, String startedAt,
                            String finishedAt, Long durationMillis, List<PartOutcome> parts,
                            List<Restart> stops, List<Restart> restarts, Map<String, Long> cassandraRows) {

    public static final String OK = "ok";
    public static final String PARTIAL = "partial";
    public static final String FAILED = "failed";

    /**
     * One part: where it went and how that went; {@code movedAside} is where what was there went (a directory, or a
     * keyspace's snapshot), {@code detail} what was done.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartOutcome(String name, String kind, String host, String path, String status, long bytes,
                              String startedAt, String finishedAt, long durationMillis, String movedAside,
                              String detail, String error) {
        public boolean ok() {
            return OK.equals(status);
        }
    }

    /** A kind's stop command (before its parts) or restart command (once all were back), run on one of its hosts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Restart(String kind, String host, String command, String status, String error) {
        public boolean ok() {
            return OK.equals(status);
        }
    }

    /** Written whole (temp file, sync, rename), 0600. */
    public Path write(Path backupDir) throws IOException {
        return PrivateJsonFile.write(backupDir.resolve("restores").resolve(restoreId), "restore.json", this);
    }
}
