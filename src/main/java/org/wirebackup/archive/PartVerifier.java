package org.wirebackup.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Checks one part in a single streaming pass: its size and SHA-256, its compressed stream (gzip or zstd, told by its
 * first bytes) decoded to the very end, and, for a tar, its entries counted. Memory stays bounded whatever the size.
 */
public final class PartVerifier {

    private static final int BUFFER = 256 * 1024;

    private PartVerifier() {
    }

    /**
     * A part's expected form and figures, from the run record or a manifest.
     *
     * @param root the directory every entry of the part must lie in (a directory part's own name,
     *             {@link #rootOf}), or null
     */
    public record Expected(String name, String format, String compression, long bytes, String sha256, String root) {
    }

    /**
     * The directory a part of this kind holds everything in: the captured directory's own name for the wire-server
     * folder and a MinIO data directory (restored into that directory, never beside it); null for other kinds.
     */
    public static String rootOf(String kind, String remotePath) {
        if (remotePath == null || !("wire-server".equals(kind) || "minio".equals(kind))) {
            return null;
        }
        Path name = Path.of(remotePath).getFileName();
        return name == null ? null : name.toString();
    }

    public static PartCheck check(Path file, Expected expected) {
        if (!Files.isRegularFile(file)) {
            return new PartCheck(expected.name(), 0, null, null, "missing: " + file + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return check(in, expected);
        } catch (IOException e) {
            return new PartCheck(expected.name(), 0, null, null, "cannot be read: " + e.getMessage());
        }
    }

    /** Reads {@code in} to its end (it is not closed): everything a part must be. */
    public static PartCheck check(InputStream in, Expected expected) throws IOException {
        MessageDigest sha256 = sha256();
        BoundedInputStream counted = BoundedInputStream.builder()
                .setInputStream(new DigestInputStream(CloseShieldInputStream.wrap(in), sha256)).get();
        BufferedInputStream raw = new BufferedInputStream(counted, BUFFER);
        String problem = null;
        Long entries = null;
        PartCheck.TarFiles files = null;
        java.util.List<String> warnings = java.util.List.of();
        try {
            StreamKind kind = StreamKind.sniff(raw);
            StreamKind recorded = StreamKind.ofCompression(expected.compression());
            if (kind != recorded && !"raw".equals(expected.format())) {
                problem = "is " + describe(kind) + " but was recorded as " + describe(recorded);
            }
            InputStream decoded = kind.decode(raw);
            if ("tar".equals(expected.format())) {
                TarScan scan = scanTar(decoded, expected.root());
                entries = scan.entries();
                files = scan.files();
                warnings = scan.warnings();
                if (problem == null && scan.unsafe() != null) {
                    problem = "holds an entry that could escape or harm the target: " + scan.unsafe();
                }
            }
            decoded.transferTo(OutputStream.nullOutputStream());
            raw.transferTo(OutputStream.nullOutputStream());
            if (problem == null && entries != null && entries == 0) {
                problem = "the tar holds no entries";
            }
        } catch (IOException | RuntimeException e) {
            problem = "is corrupt: " + (e instanceof java.io.EOFException || e.getMessage() == null
                    ? "it ends early (" + e.getClass().getSimpleName() + "): truncated?" : e.getMessage());
            drainQuietly(raw);
        }
        long bytes = counted.getCount();
        String sha = HexFormat.of().formatHex(sha256.digest());
        if (bytes == 0) {
            return new PartCheck(expected.name(), 0, sha, null, "is empty");
        }
        PartCheck check = new PartCheck(expected.name(), bytes, sha, entries, problem, files, warnings);
        if (bytes != expected.bytes()) {
            return check.failing("has " + bytes + " bytes, expected " + expected.bytes());
        }
        if (!sha.equals(expected.sha256())) {
            return check.failing("sha256 is " + sha + ", expected " + expected.sha256());
        }
        return check;
    }

    /** Reads what is left, for the checksum; a stream that fails again (a truncated file) ends there. */
    private static void drainQuietly(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // the part is already known to be corrupt
        }
    }

    /** A tar's entry count, its regular files, its first unsafe entry ({@code name (why)}) or null, its warnings. */
    private record TarScan(long entries, PartCheck.TarFiles files, String unsafe, java.util.List<String> warnings) {
    }

    private static TarScan scanTar(InputStream decoded, String root) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(CloseShieldInputStream.wrap(decoded));
        long entries = 0;
        long files = 0;
        long fileBytes = 0;
        String unsafe = null;
        Integer rootMode = null;
        EntrySafety safety = new EntrySafety(root);
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            entries++;
            byte type = entry.getLinkFlag();
            // regular files only: commons-compress's isFile() is true for symbolic links too
            if (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM || type == TarConstants.LF_CONTIG) {
                files++;
                fileBytes += entry.getSize();
            }
            if (root != null && entry.isDirectory() && TarEntryListing.normalized(entry.getName()).equals(root)) {
                rootMode = entry.getMode() & 07777;
            }
            String problem = unsafe == null ? safety.problem(entry) : null;
            if (problem != null) {
                unsafe = entry.getName() + " (" + problem + ")";
            }
            tar.transferTo(OutputStream.nullOutputStream());
        }
        return new TarScan(entries, new PartCheck.TarFiles(files, fileBytes, rootMode), unsafe, safety.warnings());
    }

    private static String describe(StreamKind kind) {
        return switch (kind) {
            case GZIP -> "a gzip stream";
            case ZSTD -> "a zstd stream";
            case NONE -> "uncompressed";
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
