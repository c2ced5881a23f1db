package org.wirebackup.destination;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What a stored object proves about its content. S3 gives a multipart upload the ETag {@code md5(part md5s)-N};
 * S3Proxy's filesystem-nio2 backend and some other stores give the plain MD5 of the object; with SSE-KMS the ETag is
 * no digest at all. Either ETag form proves the content when it matches; where the ETag proves nothing, the object
 * is read back and its SHA-256 compared with the full backup's.
 */
final class S3CopyProof {

    /** The destination's {@code verify} parameter. */
    enum Mode {
        AUTO, ETAG, READ_BACK;

        static Mode of(String text) {
            return switch (text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT)) {
                case "", "auto" -> AUTO;
                case "etag" -> ETAG;
                case "read-back" -> READ_BACK;
                default -> throw new IllegalArgumentException("verify must be auto, etag or read-back, was " + text);
            };
        }
    }

    /** Whether the copy is proven, and by what (or what was found instead). */
    record Outcome(boolean proven, String finding) {
    }

    private S3CopyProof() {
    }

    static Outcome prove(Mode mode, HeadObjectResponse stored, S3Destination.Uploaded uploaded, long bytes,
                         String sha256, Supplier<InputStream> readBack) {
        if (stored.contentLength() == null || stored.contentLength() != bytes) {
            return new Outcome(false, stored.contentLength() + " bytes stored");
        }
        String etag = stored.eTag() == null ? "" : stored.eTag().replace("\"", "");
        boolean kms = stored.serverSideEncryption() == ServerSideEncryption.AWS_KMS;
        if (mode != Mode.READ_BACK && !kms) {
            if (etag.equals(uploaded.multipartEtag())) {
                return new Outcome(true, "ETag " + etag + " (MD5 of the parts)");
            }
            if (etag.equals(uploaded.md5())) {
                return new Outcome(true, "ETag " + etag + " (MD5 of the object)");
            }
        }
        if (mode == Mode.ETAG) {
            return new Outcome(false, "ETag " + etag + (kms ? " under SSE-KMS proves nothing" : ""));
        }
        String stored256 = sha256(readBack);
        return stored256.equals(sha256) ? new Outcome(true, "read back, sha256 " + stored256)
                : new Outcome(false, "ETag " + etag + ", read back sha256 " + stored256);
    }

    private static String sha256(Supplier<InputStream> object) {
        try (InputStream in = new DigestInputStream(object.get(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
