package org.wirebackup.destination;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.io.DurableFiles;
import org.wirebackup.io.HashingFileOutput;
import org.wirebackup.io.Progress;
import org.wirebackup.run.FullBackup;
import org.wirebackup.io.ProgressInputStream;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.wirebackup.io.DaemonThreads;

/**
 * Copies a full backup to an S3 bucket (AWS, or an S3-compatible store: MinIO, Ceph) under
 * {@code PREFIX<run id>/full-backup-<run id>.tar} (the {@code backup-s3-sink} kamelet). Multipart with each part
 * read from the file at its own offset, so a part the SDK (or this class) tries again is read again, whole; then the
 * stored object's size and ETag are checked against the file, and only the newest {@code keep} backups stay under
 * the prefix. Credentials come from the environment or the default provider chain, never from settings.
 */
public final class S3Destination implements AutoCloseable {

    public static final String BUCKET = "WireBackupS3Bucket";
    public static final String PREFIX = "WireBackupS3Prefix";
    public static final String ENDPOINT = "WireBackupS3Endpoint";
    public static final String REGION = "WireBackupS3Region";
    public static final String PATH_STYLE = "WireBackupS3PathStyle";
    public static final String STORAGE_CLASS = "WireBackupS3StorageClass";
    public static final String ENCRYPTION = "WireBackupS3ServerSideEncryption";
    public static final String PART_SIZE = "WireBackupS3PartSize";
    public static final String KEEP = "WireBackupS3Keep";
    /** How a copy is proven: {@code auto} (the ETag when it proves the content, else a read-back), {@code etag}, {@code read-back}. */
    public static final String VERIFY = "WireBackupS3Verify";
    /** The object metadata that marks a copy as this installation's: only such copies are ever pruned. */
    static final String INSTALLATION_METADATA = "wire-backup-installation";
    private static final int PART_TRIES = 3;
    /** Parts uploaded at once: one after another, a copy reached 0.47 of a plain SDK upload. */
    private static final int PARTS_IN_FLIGHT = 4;
    private static final Logger LOG = LoggerFactory.getLogger(S3Destination.class);

    private final Map<String, S3Client> clients = new ConcurrentHashMap<>();
    private final int maxParts;

    public S3Destination() {
        this(S3PartSize.MAX_PARTS);
    }

    /** With a store's part-count limit other than S3's 10,000 (tests reach it with small files). */
    S3Destination(int maxParts) {
        this.maxParts = maxParts;
    }

    public void copy(Exchange exchange) throws DestinationException {
        String destination = exchange.getIn().getHeader(FullBackupHeaders.DESTINATION, "backup-s3-sink", String.class);
        String bucket = required(exchange, BUCKET);
        String prefix = exchange.getIn().getHeader(PREFIX, "", String.class);
        String runId = required(exchange, FullBackupHeaders.RUN_ID);
        Path file = Path.of(required(exchange, FullBackupHeaders.FILE));
        long bytes = exchange.getIn().getHeader(FullBackupHeaders.BYTES, Long.class);
        long configuredPartSize = exchange.getIn().getHeader(PART_SIZE, 64 * S3PartSize.MIB, Long.class);
        if (configuredPartSize < S3PartSize.MIN_PART || configuredPartSize > S3PartSize.MAX_PART) {
            throw new DestinationException(destination + ": partSize " + configuredPartSize + " is outside S3's part"
                    + " sizes (5 MiB = 5242880 to 5 GiB = 5368709120 bytes)");
        }
        long partSize = S3PartSize.of(bytes, configuredPartSize, maxParts);
        if (partSize != configuredPartSize) {
            LOG.info("{}: {} bytes in parts of {} bytes would need more than {} parts: parts of {} bytes instead",
                    destination, bytes, configuredPartSize, maxParts, partSize);
        }
        int keep = exchange.getIn().getHeader(KEEP, 0, Integer.class);
        String installation = required(exchange, FullBackupHeaders.INSTALLATION);
        String sha256 = required(exchange, FullBackupHeaders.SHA256);
        String key = prefix + runId + "/" + FullBackup.copyName(runId, installation, FullBackup.isEncrypted(file));
        String location = "s3://" + bucket + "/" + key;
        S3Client s3 = client(exchange);
        S3CopyProof.Mode mode = S3CopyProof.Mode.of(exchange.getIn().getHeader(VERIFY, "auto", String.class));
        String runDir = exchange.getIn().getHeader(FullBackupHeaders.RUN_DIR, String.class);
        UploadJournal journal = new UploadJournal(runDir == null ? null : Path.of(runDir));
        String endpoint = exchange.getIn().getHeader(ENDPOINT, "", String.class);
        List<String> warnings = new ArrayList<>();
        try {
            Optional<HeadObjectResponse> existing = head(s3, bucket, key);
            S3CopyProof.Outcome proof;
            if (existing.isPresent()) {
                proof = earlierTrysCopy(destination, s3, bucket, key, existing.get(), mode, file, bytes, partSize,
                        sha256, installation);
            } else {
                warnings.addAll(abortUploadsEarlierRunsLeft(destination, s3, endpoint, bucket, journal));
                warnings.addAll(abortIncompleteUploads(destination, s3, bucket, prefix, installation));
                Uploaded uploaded = upload(s3, exchange, bucket, key, file, bytes, partSize, sha256, endpoint,
                        journal);
                HeadObjectResponse stored = s3.headObject(b -> b.bucket(bucket).key(key));
                proof = S3CopyProof.prove(mode, stored, uploaded, bytes, sha256,
                        () -> s3.getObject(b -> b.bucket(bucket).key(key)));
                if (!proof.proven()) {
                    s3.deleteObject(b -> b.bucket(bucket).key(key));
                    throw new DestinationException(destination + ": the object stored at " + location + " does not"
                            + " match (" + proof.finding() + "; expected " + bytes + " bytes, ETag "
                            + uploaded.multipartEtag() + " or " + uploaded.md5() + ", sha256 " + sha256 + "); removed it");
                }
            }
            s3.putObject(b -> b.bucket(bucket).key(key + ChecksumSidecar.SUFFIX).contentType("text/plain"),
                    RequestBody.fromString(ChecksumSidecar.line(sha256, key.substring(key.lastIndexOf('/') + 1))));
            exchange.getIn().setHeader(FullBackupHeaders.LOCATION, location);
            exchange.getIn().setHeader(FullBackupHeaders.VERIFIED_BY, proof.finding());
            exchange.getIn().setHeader(FullBackupHeaders.CHECKSUM_COPIED, true);
            exchange.getIn().setHeader(FullBackupHeaders.PART_SIZE_USED, partSize);
            warnings.addAll(unconfirmedSettings(exchange, s3.headObject(b -> b.bucket(bucket).key(key))));
            LOG.info("{}: copied {} to {} and checked it there ({} bytes, {})", destination, file.getFileName(),
                    location, bytes, proof.finding());
            if (keep > 0) {
                try {
                    FullBackupHeaders.fence(exchange, "pruning s3://" + bucket + "/" + prefix);
                    prune(destination, s3, bucket, prefix, keep, installation);
                } catch (SdkException e) {
                    warnings.add("the copy is good, but pruning old backups under s3://" + bucket + "/" + prefix
                            + " failed: " + e.getMessage());
                } catch (org.wirebackup.run.Fence.LockLostException e) {
                    warnings.add("the copy is good; " + e.getMessage());
                }
            }
            if (!warnings.isEmpty()) {
                exchange.getIn().setHeader(FullBackupHeaders.WARNINGS, warnings);
            }
        } catch (SdkException | IOException | java.io.UncheckedIOException | PartFailedException e) {
            throw new DestinationException(destination + ": copy to " + location + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The object is there already: an earlier try of this copy completed it and then failed (writing the
     * {@code .sha256}, pruning, the connection). It is kept when it is this installation's, of this full backup (the
     * SHA-256 recorded with it) and proven as a fresh copy would be; anything else under this name is never replaced.
     */
    private static S3CopyProof.Outcome earlierTrysCopy(String destination, S3Client s3, String bucket, String key,
                                                       HeadObjectResponse existing, S3CopyProof.Mode mode, Path file,
                                                       long bytes, long partSize, String sha256, String installation)
            throws IOException, DestinationException {
        String location = "s3://" + bucket + "/" + key;
        Map<String, String> metadata = existing.metadata();
        if (!installation.equals(metadata.get(INSTALLATION_METADATA)) || !sha256.equals(metadata.get("sha256"))) {
            throw new DestinationException(destination + ": " + location + " exists already (installation "
                    + metadata.get(INSTALLATION_METADATA) + ", sha256 " + metadata.get("sha256") + "), not this"
                    + " installation's copy of this full backup; refusing to overwrite it");
        }
        FileDigests digests = FileDigests.of(file, bytes, partSize);
        requireRecorded(digests, sha256, file);
        S3CopyProof.Outcome proof = S3CopyProof.prove(mode, existing, digests.uploaded(), bytes, sha256,
                () -> s3.getObject(b -> b.bucket(bucket).key(key)));
        if (!proof.proven()) {
            throw new DestinationException(destination + ": " + location + " exists already and says it is this full"
                    + " backup, but does not prove it (" + proof.finding() + "); refusing to overwrite it: look at it");
        }
        LOG.info("{}: {} is there already, this installation's copy of this full backup (an earlier try's): kept",
                destination, location);
        return new S3CopyProof.Outcome(true, proof.finding() + "; an earlier try's copy, kept");
    }

    private static void requireRecorded(FileDigests digests, String sha256, Path file) throws IOException {
        if (!digests.sha256().equals(sha256)) {
            throw new IOException(file + " now reads with sha256 " + digests.sha256() + ", not the " + sha256
                    + " recorded when it was verified: the disk may be failing; nothing was copied");
        }
    }

    /**
     * The storage class and server-side encryption that were asked for but that the stored object does not report. S3
     * omits the storage class for STANDARD; some S3-compatible stores silently ignore both.
     */
    private static List<String> unconfirmedSettings(Exchange exchange, HeadObjectResponse stored) {
        List<String> unconfirmed = new ArrayList<>();
        String storageClass = exchange.getIn().getHeader(STORAGE_CLASS, String.class);
        String reportedClass = stored.storageClassAsString() == null ? "STANDARD" : stored.storageClassAsString();
        if (storageClass != null && !storageClass.isBlank() && !storageClass.equals(reportedClass)) {
            unconfirmed.add("asked for storage class " + storageClass + "; the store reports " + reportedClass);
        }
        String encryption = exchange.getIn().getHeader(ENCRYPTION, String.class);
        String reportedEncryption = stored.serverSideEncryptionAsString();
        if (encryption != null && !encryption.isBlank() && !encryption.equals(reportedEncryption)) {
            unconfirmed.add("asked for server-side encryption " + encryption + "; the store "
                    + (reportedEncryption == null ? "does not confirm any" : "reports " + reportedEncryption));
        }
        return unconfirmed;
    }

    /** What an upload sent: S3's ETag for it ({@code md5(part md5s)-N}) and the whole file's MD5 (some stores' ETag). */
    record Uploaded(String multipartEtag, String md5) {
    }

    /**
     * Aborts the multipart uploads under the prefix that an earlier run of this installation left incomplete (its
     * abort was refused, or the process died): they are invisible in listings but take storage. Only this
     * installation's uploads (its id is in the key) are touched: another installation's may be in flight.
     */
    private static List<String> abortIncompleteUploads(String destination, S3Client s3, String bucket, String prefix,
                                                       String installation) {
        List<String> aborted = new ArrayList<>();
        List<software.amazon.awssdk.services.s3.model.MultipartUpload> uploads;
        try {
            // filtered here rather than with the prefix parameter, which not every S3-compatible store takes
            uploads = s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                    .filter(u -> u.key().startsWith(prefix) && isFullBackupKey(u.key().substring(prefix.length()))
                            && FullBackup.installationOf(nameOf(u.key())).filter(installation::equals).isPresent())
                    .toList();
        } catch (SdkException e) {
            LOG.warn("{}: cannot list the incomplete uploads in s3://{} ({}): only those the run records name are"
                    + " aborted", destination, bucket, e.getMessage());
            return aborted;
        }
        for (var upload : uploads) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                String what = "aborted the incomplete upload " + upload.uploadId() + " of s3://" + bucket + "/"
                        + upload.key() + " that an earlier run left behind";
                LOG.warn("{}: {}", destination, what);
                aborted.add(what);
            } catch (SdkException e) {
                LOG.warn("{}: cannot abort the incomplete upload {} of s3://{}/{}: {}", destination, upload.uploadId(),
                        bucket, upload.key(), e.getMessage());
            }
        }
        return aborted;
    }

    /**
     * Aborts, by the ids their journals kept, the uploads earlier runs of this installation started in this bucket
     * and never completed or aborted (killed, or their abort was refused): found even where the store does not list
     * incomplete uploads. An upload the store no longer knows (completed, or aborted by the listing) is forgotten.
     */
    private static List<String> abortUploadsEarlierRunsLeft(String destination, S3Client s3, String endpoint,
                                                            String bucket, UploadJournal journal) {
        List<String> aborted = new ArrayList<>();
        for (UploadJournal.Left left : journal.leftByEarlierRuns(endpoint, bucket)) {
            UploadJournal.Entry upload = left.entry();
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                String what = "aborted the incomplete upload " + upload.uploadId() + " of s3://" + bucket + "/"
                        + upload.key() + " that run " + left.runId() + " left (it did not finish)";
                LOG.warn("{}: {}", destination, what);
                aborted.add(what);
                journal.forget(left);
            } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException gone) {
                journal.forget(left);
            } catch (SdkException e) {
                if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() == 404) {
                    journal.forget(left);
                } else {
                    LOG.warn("{}: cannot abort the incomplete upload {} of s3://{}/{} that run {} left: {}",
                            destination, upload.uploadId(), bucket, upload.key(), left.runId(), e.getMessage());
                }
            }
        }
        return aborted;
    }

    private static String nameOf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    static boolean isFullBackupKey(String keyBelowPrefix) {
        int slash = keyBelowPrefix.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String name = keyBelowPrefix.substring(slash + 1);
        return FullBackup.isFileName(name) && FullBackup.runIdOf(name).equals(keyBelowPrefix.substring(0, slash));
    }

    /** Uploads the file in parts. */
    private static Uploaded upload(S3Client s3, Exchange exchange, String bucket, String key, Path file, long bytes,
                                   long partSize, String sha256, String endpoint, UploadJournal journal)
            throws PartFailedException {
        String uploadId = s3.createMultipartUpload(b -> {
            b.bucket(bucket).key(key).metadata(Map.of("sha256", exchange.getIn().getHeader(FullBackupHeaders.SHA256,
                    String.class), INSTALLATION_METADATA, exchange.getIn().getHeader(FullBackupHeaders.INSTALLATION,
                    String.class)));
            String storageClass = exchange.getIn().getHeader(STORAGE_CLASS, String.class);
            if (storageClass != null && !storageClass.isBlank()) {
                b.storageClass(storageClass);
            }
            String encryption = exchange.getIn().getHeader(ENCRYPTION, String.class);
            if (encryption != null && !encryption.isBlank()) {
                b.serverSideEncryption(encryption);
            }
        }).uploadId();
        UploadJournal.Entry entry = new UploadJournal.Entry(endpoint, bucket, key, uploadId);
        int count = S3PartSize.partCount(bytes, partSize);
        // the parts go up PARTS_IN_FLIGHT at a time, each read from the file by its own thread; the whole object's
        // MD5 (the ETag some stores give a multipart object) is computed beside them in one more read of the file
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARTS_IN_FLIGHT, count) + 1,
                DaemonThreads.named("s3-part"));
        try {
            try {
                journal.started(entry);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot note the upload's id in the run's directory", e);
            }
            Progress progress = new Progress("copying " + file.getFileName() + " to s3://" + bucket + "/" + key, bytes,
                    java.time.Duration.ofSeconds(30), LOG::info);
            Future<FileDigests> whole = pool.submit(() -> FileDigests.of(file, bytes, partSize));
            List<PartBody> bodies = new ArrayList<>();
            List<Future<CompletedPart>> uploads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long offset = i * partSize;
                PartBody body = new PartBody(file, offset, Math.min(partSize, bytes - offset), progress);
                int partNumber = i + 1;
                bodies.add(body);
                uploads.add(pool.submit(() -> CompletedPart.builder().partNumber(partNumber)
                        .eTag(uploadPart(s3, bucket, key, uploadId, partNumber, body)).build()));
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> upload : uploads) {
                parts.add(result(upload));
            }
            // the bytes sent are the bytes whose SHA-256 was recorded: each part's MD5 as sent is the MD5 of that part
            // in the read that gave the SHA-256, so the store's ETag (made of the parts' MD5s) ties the copy to it
            FileDigests digests = result(whole);
            try {
                requireRecorded(digests, sha256, file);
            } catch (IOException e) {
                throw new PartFailedException(e.getMessage(), e);
            }
            for (int i = 0; i < count; i++) {
                if (!MessageDigest.isEqual(bodies.get(i).lastMd5(), digests.partMd5s().get(i))) {
                    throw new PartFailedException(file + " changed while it was uploaded (part " + (i + 1)
                            + " was sent with other bytes than it has now); nothing was copied", null);
                }
            }
            try {
                FullBackupHeaders.fence(exchange, "completing the upload of s3://" + bucket + "/" + key);
            } catch (org.wirebackup.run.Fence.LockLostException e) {
                throw new PartFailedException(e.getMessage(), e);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            journal.ended(entry);
            return digests.uploaded();
        } catch (SdkException | java.io.UncheckedIOException | PartFailedException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                journal.ended(entry);
            } catch (SdkException abortRefused) {
                LOG.error("Upload {} of s3://{}/{} failed and its abort was refused ({}): the incomplete upload stays"
                        + " until the next run aborts it", uploadId, bucket, key, abortRefused.getMessage());
                throw new PartFailedException(e.getMessage() + "; the incomplete upload " + uploadId
                        + " could not be aborted (" + abortRefused.getMessage() + "): the next run aborts it (the run"
                        + " record keeps its id)", e);
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What the task gave, or the exception it ended with, as this method throws them. */
    private static <T> T result(Future<T> task) throws PartFailedException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartFailedException("interrupted while uploading", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PartFailedException part) {
                throw part;
            }
            if (cause instanceof SdkException sdk) {
                throw sdk;
            }
            if (cause instanceof java.io.UncheckedIOException io) {
                throw io;
            }
            if (cause instanceof IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            throw new IllegalStateException(cause);
        }
    }

    private static String uploadPart(S3Client s3, String bucket, String key, String uploadId, int partNumber,
                                     PartBody body) throws PartFailedException {
        SdkException last = null;
        for (int attempt = 1; attempt <= PART_TRIES; attempt++) {
            try {
                return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength(body.length), RequestBody.fromContentProvider(body::open, body.length,
                        "application/x-tar")).eTag();
            } catch (SdkException e) {
                last = e;
                LOG.warn("Part {} of {} failed (try {} of {}): {}", partNumber, key, attempt, PART_TRIES, e.getMessage());
            }
        }
        throw new PartFailedException("part " + partNumber + " failed " + PART_TRIES + " times: " + last.getMessage(), last);
    }

    /**
     * Keeps the newest {@code keep} of this installation's copies under the prefix: another installation's copies
     * under the same prefix are never touched.
     */
    private static void prune(String destination, S3Client s3, String bucket, String prefix, int keep,
                              String installation) {
        List<String> backups = ownCopies(s3, bucket, prefix, prefix, installation).stream()
                .map(OwnedCopy::key).toList();
        for (String old : backups.subList(0, Math.max(0, backups.size() - keep))) {
            s3.deleteObject(b -> b.bucket(bucket).key(old));
            s3.deleteObject(b -> b.bucket(bucket).key(old + ChecksumSidecar.SUFFIX));
            LOG.info("{}: retention: deleted s3://{}/{} (keeping the newest {})", destination, bucket, old, keep);
        }
    }

    /** A copy of this installation's under a prefix, and the SHA-256 recorded with it. */
    private record OwnedCopy(String key, String sha256) {
    }

    /**
     * This installation's copies below {@code below} (the prefix, or one run's directory under it), oldest first. A
     * copy is this installation's when the installation recorded with it says so; a copy whose name gives another
     * installation is not even asked.
     */
    private static List<OwnedCopy> ownCopies(S3Client s3, String bucket, String prefix, String below,
                                             String installation) {
        List<OwnedCopy> copies = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(below)).contents()) {
            String name = nameOf(object.key());
            if (!isFullBackupKey(object.key().substring(prefix.length()))
                    || FullBackup.installationOf(name).filter(i -> !i.equals(installation)).isPresent()) {
                continue;
            }
            Map<String, String> metadata = s3.headObject(b -> b.bucket(bucket).key(object.key())).metadata();
            if (installation.equals(metadata.get(INSTALLATION_METADATA))) {
                copies.add(new OwnedCopy(object.key(), metadata.get("sha256")));
            }
        }
        copies.sort(java.util.Comparator.comparing(c -> FullBackup.runIdOf(nameOf(c.key()))));
        return copies;
    }

    /** The installations recorded with the full backups below a prefix: what a refused fetch names. */
    private static java.util.SortedSet<String> installationsBelow(S3Client s3, String bucket, String prefix,
                                                                 String below) {
        java.util.SortedSet<String> installations = new java.util.TreeSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(below)).contents()) {
            if (isFullBackupKey(object.key().substring(prefix.length()))) {
                installations.add(String.valueOf(s3.headObject(b -> b.bucket(bucket).key(object.key())).metadata()
                        .getOrDefault(INSTALLATION_METADATA, "(none recorded)")));
            }
        }
        return installations;
    }

    private static Optional<HeadObjectResponse> head(S3Client s3, String bucket, String key) {
        return ifThere(() -> s3.headObject(b -> b.bucket(bucket).key(key)));
    }

    /** What the request gives, or empty when the store says there is no such key (404, with or without a body). */
    private static <T> Optional<T> ifThere(java.util.function.Supplier<T> request) {
        try {
            return Optional.of(request.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private S3Client client(Exchange exchange) {
        return client(exchange.getIn().getHeader(ENDPOINT, "", String.class),
                exchange.getIn().getHeader(REGION, "us-east-1", String.class),
                exchange.getIn().getHeader(PATH_STYLE, false, Boolean.class));
    }

    /**
     * Fetches one of this installation's full backups back from a bucket (for {@code restore --from} and the drill):
     * the newest under the prefix when {@code runId} is null, streamed into {@code targetFor(local name)} as a
     * {@code .partial} with its SHA-256 computed on the way, compared with the object's {@code .sha256} (or, when that
     * is missing, the SHA-256 recorded with the object, else {@code recordedSha256}), then put in place. Another
     * installation's copies are never fetched.
     *
     * @param recordedSha256 the SHA-256 of that run's full backup as a local run record keeps it, or null
     * @return the local file
     */
    public Path fetch(String bucket, String prefix, String endpoint, String region, boolean pathStyle, String runId,
                      String installation, Function<String, String> recordedSha256, Function<String, Path> targetFor)
            throws IOException {
        S3Client s3 = client(endpoint, region, pathStyle);
        String below = runId == null ? prefix : prefix + runId + "/";
        List<OwnedCopy> copies = ownCopies(s3, bucket, prefix, below, installation);
        if (copies.isEmpty()) {
            java.util.SortedSet<String> others = installationsBelow(s3, bucket, prefix, below);
            throw new IOException("no full backup of installation " + installation + " under s3://" + bucket + "/"
                    + below + (others.isEmpty() ? "" : "; the copies there belong to " + String.join(", ", others)
                    + ": if this host restores one of them, set " + "backup.installation-id to its id in the"
                    + " settings"));
        }
        OwnedCopy copy = copies.get(copies.size() - 1);
        String key = copy.key();
        String name = nameOf(key);
        Path target = targetFor.apply(FullBackup.localNameOf(name));
        Path partial = DurableFiles.partialOf(target);
        String expected;
        String expectedFrom;
        Optional<String> sidecar = sidecarOf(s3, bucket, key);
        if (sidecar.isPresent()) {
            expected = sidecar.get();
            expectedFrom = "its .sha256";
        } else if (copy.sha256() != null) {
            expected = copy.sha256();
            expectedFrom = "the sha256 recorded with the object (its .sha256 is missing)";
        } else if (recordedSha256.apply(FullBackup.runIdOf(name)) != null) {
            expected = recordedSha256.apply(FullBackup.runIdOf(name));
            expectedFrom = "the run record (the copy has no .sha256)";
        } else {
            throw new IOException("s3://" + bucket + "/" + key + " has no .sha256 and no SHA-256 recorded with it or in"
                    + " a run record here: nothing can prove what would be fetched; try another destination");
        }
        HashingFileOutput.Written written;
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
             HashingFileOutput out = new org.wirebackup.io.HashingFileOutput(partial)) {
            in.transferTo(out);
            written = out.finish();
        } catch (IOException | SdkException e) {
            Files.deleteIfExists(partial);
            throw new IOException("fetching s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
        if (!written.sha256().equals(expected)) {
            Files.deleteIfExists(partial);
            throw new IOException("the copy fetched from s3://" + bucket + "/" + key + " has sha256 " + written.sha256()
                    + ", " + expectedFrom + " says " + expected + ": removed; try another destination");
        }
        DurableFiles.moveIntoPlace(partial, target);
        ChecksumSidecar.write(target, written.sha256());
        LOG.info("Fetched s3://{}/{} into {} ({} bytes), sha256 as {} says", bucket, key, target, written.bytes(),
                expectedFrom);
        return target;
    }

    private static Optional<String> sidecarOf(S3Client s3, String bucket, String key) {
        return ifThere(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key + ChecksumSidecar.SUFFIX))
                .asUtf8String().strip().split("\\s+")[0]);
    }

    private S3Client client(String endpoint, String region, boolean pathStyle) {
        return clients.computeIfAbsent(endpoint + "|" + region + "|" + pathStyle, k -> {
            var builder = S3Client.builder()
                    .region(Region.of(region))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .forcePathStyle(pathStyle)
                    // the SDK's default checksum trailers are refused by S3Proxy, older MinIO and Ceph
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            if (!endpoint.isBlank()) {
                builder.endpointOverride(URI.create(endpoint));
            }
            return builder.build();
        });
    }

    @Override
    public void close() {
        clients.values().forEach(S3Client::close);
    }

    /** A part that failed every try. */
    private static final class PartFailedException extends Exception {
        PartFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One part's bytes, opened afresh from the file for every try; the last try's MD5 is kept. */
    private static final class PartBody {
        private final Path file;
        private final long offset;
        private final long length;
        private final Progress progress;
        private volatile MessageDigest md5;

        PartBody(Path file, long offset, long length, Progress progress) {
            this.file = file;
            this.offset = offset;
            this.length = length;
            this.progress = progress;
        }

        InputStream open() {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
                md5 = md5();
                return new ProgressInputStream(new DigestInputStream(BoundedInputStream.builder()
                        .setInputStream(Channels.newInputStream(channel)).setMaxCount(length).get(), md5), progress);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        byte[] lastMd5() {
            return md5.digest();
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(Exchange exchange, String header) throws DestinationException {
        String value = exchange.getIn().getHeader(header, String.class);
        if (value == null || value.isBlank()) {
            throw new DestinationException("header " + header + " is missing");
        }
        return value;
    }
}
