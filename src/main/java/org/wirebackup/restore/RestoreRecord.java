package org.wirebackup.restore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.wirebackup.io.DurableFiles;
import org.wirebackup.io.PrivateFiles;

/**
 * {@code BACKUP_DIR/restores/<id>/restore.json}: what a restore did, per part, and its wall time: the measured RTO.
 *
 * @param durationMillis from the start to the last part restored and checked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreRecord(String restoreId, String status, String fullBackup, String runId, String startedAt,
                            String finishedAt, Long durationMillis, List<PartOutcome> parts,
                            List<Restart> restarts, Map<String, Long> cassandraRows) {

    public static final String OK = "ok";
    public static final String PARTIAL = "partial";
    public static final String FAILED = "failed";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    /** A kind's restart command, run on one of its hosts once all its parts were back. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Restart(String kind, String host, String command, String status, String error) {
        public boolean ok() {
            return OK.equals(status);
        }
    }

    /** Written whole (temp file, sync, rename), 0600. */
    public Path write(Path backupDir) throws IOException {
        Path dir = PrivateFiles.createDirectories(backupDir.resolve("restores").resolve(restoreId));
        Path target = dir.resolve("restore.json");
        Path partial = DurableFiles.partialOf(target);
        try (FileChannel channel = PrivateFiles.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(this));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        DurableFiles.moveIntoPlace(partial, target);
        return target;
    }
}
