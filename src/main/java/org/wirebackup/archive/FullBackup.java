package org.wirebackup.archive;

import java.nio.file.Path;

/** A full backup on disk: {@code full-backup-<run id>.tar}, its size and SHA-256. */
public record FullBackup(Path file, long bytes, String sha256) {

    public static String fileName(String runId) {
        return "full-backup-" + runId + ".tar";
    }
}
