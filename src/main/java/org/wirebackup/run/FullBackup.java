package org.wirebackup.run;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A full backup on disk: {@code full-backup-<run id>.tar}, its size and SHA-256. */
public record FullBackup(Path file, long bytes, String sha256) {

    /** The suffix of a full backup whose run died before confirming it: kept, but never taken for a good one. */
    public static final String INTERRUPTED_SUFFIX = ".interrupted";
    /** The suffix of a full backup whose run failed after writing it: kept for inspection, never a good one. */
    public static final String FAILED_SUFFIX = ".failed";

    /** What an encrypted full backup's name ends with: {@code full-backup-<run id>.tar.age}, the age format. */
    public static final String ENCRYPTED_SUFFIX = ".age";

    /**
     * A full backup's name: {@code full-backup-<run id>.tar} here, {@code full-backup-<run id>-<installation>.tar} at
     * a destination (two installations sharing one never collide, even in the same second; copies made before the
     * installation was in the name have the short form there too); {@code .tar.age} when encrypted.
     */
    private static final Pattern NAME = Pattern.compile(
            "full-backup-(\\d{8}T\\d{6}Z)(?:-([A-Za-z0-9][A-Za-z0-9._-]{0,63}?))?\\.tar(\\.age)?");

    /** A full backup's file name, here or at a destination, plain or encrypted. */
    public static boolean isFileName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The name of a copy at a destination: {@code full-backup-<run id>-<installation>.tar(.age)}. */
    public static String copyName(String runId, String installation, boolean encrypted) {
        return "full-backup-" + runId + "-" + installation + ".tar" + (encrypted ? ENCRYPTED_SUFFIX : "");
    }

    /** The installation a copy's name gives ({@link #copyName}); empty for a local name or an older copy's. */
    public static Optional<String> installationOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Optional.ofNullable(m.group(2)) : Optional.empty();
    }

    /** The local name of a copy fetched back: {@code full-backup-<run id>.tar(.age)}. */
    public static String localNameOf(String fileName) {
        return fileName(runIdOf(fileName), fileName.endsWith(ENCRYPTED_SUFFIX));
    }

    public static String fileName(String runId) {
        return "full-backup-" + runId + ".tar";
    }

    public static String fileName(String runId, boolean encrypted) {
        return fileName(runId) + (encrypted ? ENCRYPTED_SUFFIX : "");
    }

    /** The run id in a full backup's file name ({@link #isFileName}). */
    public static String runIdOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException(fileName + " is no full backup's name");
        }
        return m.group(1);
    }

    public static boolean isEncrypted(Path file) {
        return file.getFileName().toString().endsWith(".tar" + ENCRYPTED_SUFFIX);
    }
}
