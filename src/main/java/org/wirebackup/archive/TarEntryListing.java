package org.wirebackup.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What extracting a tar part must leave on disk, path by path: type, mode, size, SHA-256 of a file's bytes and a
 * link's target, read from the part's stream (decompressed as recorded). A later entry of the same name replaces an
 * earlier one, as {@code tar -x} does; a hard link is the file it links to.
 */
public final class TarEntryListing {

    /**
     * @param type   {@code f} file, {@code d} directory, {@code l} symbolic link (as {@code find -printf %y})
     * @param size   a file's size; 0 for the others
     * @param sha256 a file's SHA-256; null for the others
     * @param link   a symbolic link's target; null for the others
     */
    public record Entry(char type, int mode, long size, String sha256, String link) {
    }

    private TarEntryListing() {
    }

    /** Every path the part holds, relative to where it is extracted, in name order. */
    public static Map<String, Entry> read(InputStream part, String compression) throws IOException {
        Map<String, Entry> entries = new TreeMap<>();
        BufferedInputStream raw = new BufferedInputStream(part, 256 * 1024);
        TarArchiveInputStream tar = new TarArchiveInputStream(StreamKind.ofCompression(compression).decode(raw));
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            String name = normalized(entry.getName());
            if (name.isEmpty()) {
                continue;
            }
            int mode = entry.getMode() & 07777;
            if (entry.isDirectory()) {
                entries.put(name, new Entry('d', mode, 0, null, null));
            } else if (entry.isSymbolicLink()) {
                entries.put(name, new Entry('l', 0, 0, null, entry.getLinkName()));
            } else if (entry.isLink()) {
                Entry target = entries.get(normalized(entry.getLinkName()));
                if (target == null) {
                    throw new IOException(name + " is a hard link to " + entry.getLinkName() + ", which the part does"
                            + " not hold before it");
                }
                entries.put(name, target);
            } else if (entry.isFile()) {
                MessageDigest sha256 = PartVerifier.sha256();
                long size;
                try (DigestOutputStream digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
                    size = tar.transferTo(digest);
                }
                entries.put(name, new Entry('f', mode, size, HexFormat.of().formatHex(sha256.digest()), null));
            } else {
                throw new IOException(name + " is neither a file, a directory nor a link");
            }
        }
        return entries;
    }

    /** {@code ./a/b/} as {@code a/b}: how {@code find -printf %P} prints it. */
    public static String normalized(String name) {
        String normalized = Path.of(name).normalize().toString();
        return normalized.equals(".") ? "" : normalized;
    }
}
