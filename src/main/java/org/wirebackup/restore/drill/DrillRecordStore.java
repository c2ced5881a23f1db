package org.wirebackup.restore.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The drill records under {@code BACKUP_DIR/drills/}, newest first; one that cannot be read is skipped, logged. */
public final class DrillRecordStore implements DrillHistory {

    private static final Logger LOG = LoggerFactory.getLogger(DrillRecordStore.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path drills;

    public DrillRecordStore(Path backupDir) {
        this.drills = backupDir.resolve("drills");
    }

    @Override
    public List<DrillRecord> newestFirst() throws IOException {
        if (!Files.isDirectory(drills)) {
            return List.of();
        }
        List<DrillRecord> records = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(drills)) {
            for (Path file : dirs.map(d -> d.resolve("drill.json")).filter(Files::isRegularFile).toList()) {
                try {
                    records.add(JSON.readValue(file.toFile(), DrillRecord.class));
                } catch (IOException e) {
                    LOG.error("Drill record {} cannot be read and is skipped: {}", file, e.getMessage());
                }
            }
        }
        records.sort(Comparator.comparing(DrillRecord::drillId).reversed());
        return records;
    }
}
