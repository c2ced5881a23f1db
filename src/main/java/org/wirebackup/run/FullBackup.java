package org.wirebackup.run;

import java.nio.file.Path;

/** A full backup on disk: {@code full-backup-<run id>.tar}, its size and SHA-256. */
public record FullBackup(Path file, long bytes, String sha256) {

    /** The suffix of a full backup whose run died before confirming it: kept, but never taken for a good one. */
    public static final String INTERRUPTED_SUFFIX = ".interrupted";
    /** The suffix of a full backup whose run failed after writing it: kept for inspection, never a good one. */
    public static final String FAILED_SUFFIX = ".failed";

    /** What an encrypted full backup's name ends with: {@code full-backup-<run id>.tar.age}, the age format. */
    public static final String ENCRYPTED_SUFFIX = ".age";

    /**
     * A full backup's file name, as destinations list and prune them: {@code full-backup-<run id>.tar}, or
     * {@code full-backup-<run id>.tar.age} when encrypted.
     */
    public static boolean isFileName(String name) {
        return name.matches("full-backup-\\d{8}T\\d{6}Z\\.tar(\\.age)?");
    }

    public static String fileName(String runId) {
        return "full-backup-" + runId + ".tar";
    }

    public static String fileName(String runId, boolean encrypted) {
        return fileName(runId) + (encrypted ? ENCRYPTED_SUFFIX : "");
    }

    /** The run id in a full backup's file name ({@link #isFileName}). */
    public static String runIdOf(String fileName) {
        return fileName.substring("full-backup-".length(), fileName.indexOf(".tar"));
    }

    public static boolean isEncrypted(Path file) {
        return file.getFileName().toString().endsWith(".tar" + ENCRYPTED_SUFFIX);
    }
}
