package org.wirebackup.restore.drill;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.wirebackup.io.PrivateJsonFile;

/**
 * {@code BACKUP_DIR/drills/<id>/drill.json}: what a drill restored, what it proved, and what it measured.
 *
 * @param from           the destination the copy was fetched from, or {@code local}
 * @param rpoSeconds     how old the drilled backup was when the drill started
 * @param durationMillis from the drill's start to the last part restored and proven: the measured RTO
 * @param scratch        where it restored, {@code host:dir/<drill id>}
 * @param kept           true when --keep left the scratch data in place
 * @param cassandraRows  per table loaded into the scratch Cassandra, its rows; null when none was loaded
 * @param previousCassandraRows the same of the last good drill before, that they were compared with
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrillRecord(String drillId, String status, String from, String fullBackup, String runId,
                          Long rpoSeconds, String startedAt, String finishedAt, long durationMillis, String scratch,
                          boolean kept, List<Part> parts, String error, Map<String, Long> cassandraRows,
                          Map<String, Long> previousCassandraRows) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    /** One part, restored on the scratch host and compared with the backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String name, String kind, String status, long bytes, Long paths, long durationMillis,
                       List<String> differences, String error) {
        public boolean ok() {
            return OK.equals(status);
        }
    }

    /** This record, failed because the process was stopping; the error it ran into is kept after the reason. */
    public DrillRecord stopped(String why) {
        return new DrillRecord(drillId, FAILED, from, fullBackup, runId, rpoSeconds, startedAt, finishedAt,
                durationMillis, scratch, kept, parts, "stopped: " + why + (error == null ? "" : " (" + error + ")"),
                cassandraRows, previousCassandraRows);
    }

    public Path write(Path backupDir) throws IOException {
        return PrivateJsonFile.write(backupDir.resolve("drills").resolve(drillId), "drill.json", this);
    }
}
