package org.wirebackup.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wirebackup.io.PrivateJsonFile;

/**
 * {@code BACKUP_DIR/cluster.json}: which cluster database and installation this backup directory's instance belongs
 * to (no password), written at every start with the cluster on, so that {@code check}, which reads only the backup
 * directory, asks the cluster's history instead of this host's alone.
 */
public record ClusterMarker(String jdbcUrl, String user, String installationId) {

    public static final String FILE = "cluster.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes the marker, replacing one of another cluster or installation (settings change). */
    public void write(Path backupDir) throws IOException {
        Optional<ClusterMarker> present = read(backupDir);
        if (present.isPresent() && present.get().equals(this)) {
            return;
        }
        Files.deleteIfExists(backupDir.resolve(FILE));
        PrivateJsonFile.write(backupDir, FILE, this);
    }

    /** The marker, or empty when this backup directory's instance is not in a cluster. */
    public static Optional<ClusterMarker> read(Path backupDir) throws IOException {
        Path file = backupDir.resolve(FILE);
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), ClusterMarker.class))
                : Optional.empty();
    }

    /** The cluster's history, the password taken from WIRE_BACKUP_CLUSTER_PASSWORD. */
    public SharedHistory history(String password) {
        ClusterDatabase database = new ClusterDatabase(new ClusterSettings(jdbcUrl, user,
                password == null || password.isEmpty() ? null : password, java.time.Duration.ofSeconds(10)));
        return new SharedHistory(new ClusterHistory(database, installationId, InstanceName.of()));
    }
}
