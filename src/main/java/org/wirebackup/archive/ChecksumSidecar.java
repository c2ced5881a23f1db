package org.wirebackup.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.wirebackup.io.DurableFiles;
import org.wirebackup.io.PrivateFiles;

/**
 * {@code full-backup-<id>.tar.sha256} beside each full backup, in {@code sha256sum}'s format, so that any copy can be
 * checked with {@code sha256sum -c} and no Java, and {@code verify} checks the whole file against it.
 */
public final class ChecksumSidecar {

    public static final String SUFFIX = ".sha256";

    private ChecksumSidecar() {
    }

    public static Path of(Path fullBackup) {
        return fullBackup.resolveSibling(fullBackup.getFileName() + SUFFIX);
    }

    /** The sidecar's text: {@code <sha256>  <file name>}, the line {@code sha256sum} prints and checks. */
    public static String line(String sha256, String fileName) {
        return sha256 + "  " + fileName + "\n";
    }

    /** Writes the sidecar whole (temp file, sync, rename), 0600. */
    public static Path write(Path fullBackup, String sha256) throws IOException {
        Path target = of(fullBackup);
        Path partial = DurableFiles.partialOf(target);
        try (var channel = PrivateFiles.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(line(sha256, fullBackup.getFileName().toString())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        DurableFiles.moveIntoPlace(partial, target);
        return target;
    }

    /** Null when the sidecar names this file with this SHA-256, else what is wrong. */
    static String problem(Path sidecar, String fileName, String sha256) {
        String text;
        try {
            text = Files.readString(sidecar).strip();
        } catch (IOException e) {
            return "cannot read " + sidecar.getFileName() + ": " + e.getMessage();
        }
        String[] fields = text.split("\\s+\\*?", 2);
        if (fields.length != 2 || !fields[0].matches("[0-9a-f]{64}")) {
            return sidecar.getFileName() + " is not a sha256sum line";
        }
        if (!fields[1].equals(fileName)) {
            return sidecar.getFileName() + " is for " + fields[1] + ", not " + fileName;
        }
        if (!fields[0].equals(sha256)) {
            return "the whole file's sha256 is " + sha256 + ", " + sidecar.getFileName() + " says " + fields[0];
        }
        return null;
    }
}
