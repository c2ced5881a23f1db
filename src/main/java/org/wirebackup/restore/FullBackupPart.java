package org.wirebackup.restore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.wirebackup.archive.FullBackupFile;

/** One part's bytes, streamed out of its full backup as they are stored there (still compressed). */
public final class FullBackupPart {

    private FullBackupPart() {
    }

    /** The part's data; closing it closes the full backup. */
    public static InputStream open(FullBackupFile fullBackup, String partName) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(fullBackup.openTar());
        try {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.getName().equals(partName)) {
                    return new FilterInputStream(tar) {
                    };
                }
            }
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
        tar.close();
        throw new IOException(partName + " is not in " + fullBackup);
    }

    /** The tar option that undoes a part's compression ({@code -z}, {@code --zstd}, or none). */
    public static String tarDecompression(String compression) {
        if (compression == null || compression.startsWith("none")) {
            return "";
        }
        return compression.startsWith("zstd") ? "--zstd" : "-z";
    }
}
