package org.wirebackup.destination;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One read of a full backup: its SHA-256, its MD5 and the MD5 of each part of a multipart upload. Ties an S3 copy to
 * the SHA-256 recorded for the full backup: the parts sent must have these MD5s (else the file changed while it went
 * up), this SHA-256 must be the recorded one (else the bytes on disk are not those verified), and the store's ETag
 * must be made of these MD5s.
 */
record FileDigests(String sha256, byte[] md5, List<byte[]> partMd5s) {

    static FileDigests of(Path file, long bytes, long partSize) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        List<byte[]> parts = new ArrayList<>();
        MessageDigest part = digest("MD5");
        long inPart = 0;
        long left = bytes;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, Math.min(left, partSize - inPart)));
                if (n < 0) {
                    throw new IOException(file + " ends after " + (bytes - left) + " of its " + bytes + " bytes");
                }
                sha256.update(buffer, 0, n);
                md5.update(buffer, 0, n);
                part.update(buffer, 0, n);
                inPart += n;
                left -= n;
                if (inPart == partSize) {
                    parts.add(part.digest());
                    inPart = 0;
                }
            }
        }
        if (inPart > 0 || parts.isEmpty()) {
            parts.add(part.digest());
        }
        return new FileDigests(HexFormat.of().formatHex(sha256.digest()), md5.digest(), List.copyOf(parts));
    }

    /** What S3 calls such an upload: {@code md5(part md5s)-N}, and the plain MD5 some stores give instead. */
    S3Destination.Uploaded uploaded() {
        MessageDigest md5s = digest("MD5");
        partMd5s.forEach(md5s::update);
        return new S3Destination.Uploaded(HexFormat.of().formatHex(md5s.digest()) + "-" + partMd5s.size(),
                HexFormat.of().formatHex(md5));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
