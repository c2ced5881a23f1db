package org.wirebackup.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/**
 * Copies to a real S3 API (S3Proxy, in-process), including a store that fails a part: run on both of S3Proxy's
 * filesystem backends, whose ETags for a multipart upload differ (md5 of the parts, or the object's plain MD5).
 */
abstract class S3DestinationContract {

    /** The jclouds provider S3Proxy stores objects with. */
    abstract String backend();

    /** How this backend's ETag of a multipart upload reads: "MD5 of the parts" (as S3) or "MD5 of the object". */
    abstract String etagForm();

    @TempDir
    Path tmp;
    BlobStoreContext blobs;
    FlakyBlobStore store;
    S3Proxy s3;

    @BeforeEach
    void startS3() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(tmp.resolve("s3")).toString());
        blobs = ContextBuilder.newBuilder(backend()).credentials("identity", "credential").overrides(properties)
                .build(BlobStoreContext.class);
        store = new FlakyBlobStore(blobs.getBlobStore());
        store.createContainerInLocation(null, "wire-backups");
        s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "identity", "credential").build();
        s3.start();
        while (!s3.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        System.setProperty("aws.accessKeyId", "identity");
        System.setProperty("aws.secretAccessKey", "credential");
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.stop();
        blobs.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void copiesAVerifiedFullBackupAndAPartThatFailsOnceIsTriedAgain() throws Exception {
        store.failingPart = 2;
        store.failuresLeft.set(1);
        try (TestInstallation wire = installation()) {
            Cli.Result first = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(first.exitCode()).as(first.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            String runId = record.get("runId").asText();
            JsonNode copy = record.get("destinations").get(0);
            String key = "wire-backup/" + runId + "/" + wire.copyName(runId);
            assertThat(copy.get("status").asText()).isEqualTo("ok");
            assertThat(copy.get("location").asText()).isEqualTo("s3://wire-backups/" + key);
            assertThat(copy.get("verifiedBy").asText()).contains(etagForm());
            assertThat(store.injected.get()).as("part 2 failed once and was tried again").isEqualTo(1);
            assertThat(sha256(key)).isEqualTo(record.get("fullBackup").get("sha256").asText());
            assertThat(store.getBlobAccess("wire-backups", key)).as("no public ACL")
                    .isEqualTo(org.jclouds.blobstore.domain.BlobAccess.PRIVATE);

            Thread.sleep(1100);
            Cli.Result second = Cli.run("backup", "--config", wire.writeSettings().toString());
            assertThat(second.exitCode()).as(second.out()).isZero();
            assertThat(store.list("wire-backups", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
                    .stream().map(m -> m.getName()).filter(n -> n.endsWith(".tar")).toList())
                    .as("keep 1: the older copy is pruned").hasSize(1).noneMatch(n -> n.contains(runId));
        }
    }

    @Test
    void aBackupHostThatLostItsDiskFetchesTheCopyBackFromTheBucketAndRestoresIt() throws Exception {
        try (TestInstallation wire = installation()) {
            Cli.Result backup = Cli.run("backup", "--config", wire.writeSettings().toString());
            assertThat(backup.exitCode()).as(backup.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            String runId = record.get("runId").asText();
            String sha = record.get("fullBackup").get("sha256").asText();
            deleteTree(wire.backupDir); // the backup host's disk is gone

            Cli.Result plan = Cli.run("restore", "--from", "offsite", "--plan", "--config",
                    wire.writeSettings().toString());

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            Path fetched = wire.backupDir.resolve("full-backup-" + runId + ".tar");
            assertThat(plan.out()).contains("Restore plan for " + fetched);
            assertThat(Files.readString(wire.backupDir.resolve("full-backup-" + runId + ".tar.sha256")))
                    .startsWith(sha + "  ");
            assertThat(Cli.run("verify", fetched.toString()).exitCode()).isZero();

            // and the restore itself, from the bucket alone: the wire-server folder is lost too
            Path original = org.wirebackup.testing.Trees.copy(wire.wireServerFolder, tmp.resolve("original/wire-server"));
            deleteTree(wire.backupDir);
            deleteTree(wire.wireServerFolder);
            Cli.Result restored = Cli.run("restore", "--from", "offsite", "--yes", "--config",
                    wire.writeSettings().toString());

            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
            org.wirebackup.testing.Trees.assertSame(original, wire.wireServerFolder);
        }
    }

    @Test
    void aDrillFetchesTheNewestCopyFromTheBucketAndProvesItRestores() throws Exception {
        try (TestInstallation wire = installation()) {
            Path scratch = Files.createDirectories(wire.root.resolve("scratch-host/var/tmp/wire-drill"));
            Path settings = wire.set("backup.drill.from", "offsite").set("backup.drill.host", wire.ssh.hostSpec())
                    .set("backup.drill.dir", scratch.toString()).writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();

            Cli.Result drill = Cli.run("drill", "--config", settings.toString());

            assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
            assertThat(drill.out()).contains("(copy from offsite): OK", "ok      wire-server.tar  2 paths equal to the"
                    + " backup's");
            try (var left = Files.list(scratch)) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void anEncryptedCopyGoesToTheBucketIsPrunedThereAndRestoresFromItWithItsIdentity() throws Exception {
        try (TestInstallation wire = installation()) {
            Path key = tmp.resolve("key.txt");
            String recipient = Cli.run("keygen", key.toString()).out().strip();
            Path settings = wire.set("backup.encryption.recipients", recipient).set("backup.keep-parts", "false")
                    .writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            Thread.sleep(1100);
            Cli.Result second = Cli.run("backup", "--config", settings.toString());
            assertThat(second.exitCode()).as(second.out()).isZero();
            JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(second.out().lines()
                    .filter(l -> l.startsWith("run record: ")).findFirst().map(l -> Path.of(l.substring(12).strip()))
                    .orElseThrow().toFile());
            String runId = record.get("runId").asText();
            String objectKey = "wire-backup/" + runId + "/" + wire.copyName(runId, true);
            assertThat(record.get("destinations").get(0).get("location").asText())
                    .isEqualTo("s3://wire-backups/" + objectKey);
            assertThat(sha256(objectKey)).isEqualTo(record.get("fullBackup").get("sha256").asText());
            assertThat(store.list("wire-backups", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
                    .stream().map(m -> m.getName()).filter(n -> n.endsWith(".tar.age")).toList())
                    .as("keep 1: the older encrypted copy is pruned").containsExactly(objectKey);

            Path original = org.wirebackup.testing.Trees.copy(wire.wireServerFolder, tmp.resolve("original/wire-server"));
            deleteTree(wire.backupDir);
            deleteTree(wire.wireServerFolder);
            Cli.Result restored = Cli.run("restore", "--from", "offsite", "--identity", key.toString(), "--yes",
                    "--config", settings.toString());

            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
            assertThat(wire.backupDir.resolve("full-backup-" + runId + ".tar.age")).exists();
            org.wirebackup.testing.Trees.assertSame(original, wire.wireServerFolder);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * A copy that would need more parts than the store takes is cut into larger parts: with this store's limit lowered
     * to 2, a 12 MiB file configured for 5 MiB parts goes up in two 6 MiB parts, and the record says so.
     */
    @Test
    void aCopyThatWouldNeedTooManyPartsGoesUpInLargerParts() throws Exception {
        Path file = tmp.resolve("full-backup-20261204T010203Z.tar");
        byte[] data = new byte[12 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Files.write(file, data);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try (var camel = new org.apache.camel.impl.DefaultCamelContext(); S3Destination destination = new S3Destination(2)) {
            var exchange = copyOf(camel, file, sha256);

            destination.copy(exchange);

            assertThat(exchange.getIn().getHeader(FullBackupHeaders.PART_SIZE_USED, Long.class))
                    .isEqualTo(6L * 1024 * 1024);
            assertThat(store.partsUploaded).containsExactly(1, 2);
            assertThat(sha256("wire/20261204T010203Z/full-backup-20261204T010203Z-wire-test.tar")).isEqualTo(sha256);
        }
    }

    /** A try that failed after the object was complete (its .sha256 could not be written) is tried again. */
    @Test
    void aRetryThatFindsItsOwnGoodCopyAcceptsItAndAPruneFailureIsAWarning() throws Exception {
        try (TestInstallation wire = installation()) {
            assertThat(Cli.run("backup", "--config", wire.writeSettings().toString()).exitCode()).isZero();
            store.sidecarFailuresLeft.set(1);
            store.refuseDeletes = true;
            Thread.sleep(1100);

            Cli.Result second = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(second.exitCode()).as(second.out()).isZero();
            JsonNode record = newest(wire);
            String runId = record.get("runId").asText();
            JsonNode copy = record.get("destinations").get(0);
            assertThat(copy.get("status").asText()).isEqualTo("ok");
            assertThat(copy.get("attempts").asInt()).isEqualTo(2);
            assertThat(copy.get("verifiedBy").asText()).contains(etagForm(), "an earlier try's copy, kept");
            assertThat(copy.get("warnings").toString()).contains("the copy is good, but pruning old backups");
            String key = "wire-backup/" + runId + "/" + wire.copyName(runId);
            assertThat(sha256(key)).isEqualTo(record.get("fullBackup").get("sha256").asText());
            assertThat(store.blobExists("wire-backups", key + ".sha256")).isTrue();
        }
    }

    /** A copy whose .sha256 is gone is fetched all the same, checked against the SHA-256 stored with the object. */
    @Test
    void aCopyWithoutItsSha256IsFetchedAndCheckedAgainstTheSha256RecordedWithIt() throws Exception {
        try (TestInstallation wire = installation(); LogCapture log = LogCapture.of("org.wirebackup.destination")) {
            assertThat(Cli.run("backup", "--config", wire.writeSettings().toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            String key = "wire-backup/" + runId + "/" + wire.copyName(runId);
            store.removeBlob("wire-backups", key + ".sha256");
            deleteTree(wire.backupDir);

            Cli.Result plan = Cli.run("restore", "--from", "offsite", "--plan", "--config",
                    wire.writeSettings().toString());

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            assertThat(log.text()).contains("sha256 as the sha256 recorded with the object (its .sha256 is missing)");

            // and a copy changed in the bucket is refused by that same SHA-256
            deleteTree(wire.backupDir);
            org.jclouds.blobstore.domain.Blob stored = store.getBlob("wire-backups", key);
            byte[] bytes = stored.getPayload().openStream().readAllBytes();
            bytes[bytes.length / 2] ^= 1;
            store.putBlob("wire-backups", store.blobBuilder(key).payload(bytes)
                    .userMetadata(stored.getMetadata().getUserMetadata()).build());
            Cli.Result refused = Cli.run("restore", "--from", "offsite", "--plan", "--config",
                    wire.writeSettings().toString());
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("the sha256 recorded with the object (its .sha256 is missing) says");
        }
    }

    /**
     * The ETag proves the store has the bytes sent; the bytes sent must be the full backup whose SHA-256 was
     * recorded: a file that no longer reads so (a failing disk) is not copied.
     */
    @Test
    void aFullBackupThatNoLongerReadsAsRecordedIsNotCopied() throws Exception {
        Path file = tmp.resolve("full-backup-20261204T010203Z.tar");
        byte[] data = new byte[6 * 1024 * 1024];
        new Random(8).nextBytes(data);
        Files.write(file, data);
        String recorded = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        data[100] ^= 1; // the disk returns other bytes now
        Files.write(file, data);
        try (var camel = new org.apache.camel.impl.DefaultCamelContext(); S3Destination destination = new S3Destination()) {
            var exchange = copyOf(camel, file, recorded);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> destination.copy(exchange))
                    .hasMessageContaining("not the " + recorded + " recorded when it was verified");
        }
        assertThat(store.list("wire-backups", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()))
                .noneMatch(m -> m.getName().endsWith(".tar"));
        assertThat(store.listMultipartUploads("wire-backups")).isEmpty();
    }

    /** A run that lost its cluster lock while uploading never completes the upload: no object, the upload aborted. */
    @Test
    void aRunThatLostItsClusterLockCompletesNoUpload() throws Exception {
        Path file = tmp.resolve("full-backup-20261204T010203Z.tar");
        byte[] data = new byte[6 * 1024 * 1024];
        new Random(9).nextBytes(data);
        Files.write(file, data);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try (var camel = new org.apache.camel.impl.DefaultCamelContext(); S3Destination destination = new S3Destination()) {
            var exchange = copyOf(camel, file, sha256);
            exchange.getIn().setHeader(FullBackupHeaders.FENCE, (org.wirebackup.run.Fence) action -> {
                throw new org.wirebackup.run.Fence.LockLostException("not " + action + ": lock lost");
            });

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> destination.copy(exchange))
                    .hasMessageContaining("not completing the upload of s3://wire-backups/wire/20261204T010203Z/");
        }
        assertThat(store.list("wire-backups", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()))
                .noneMatch(m -> m.getName().endsWith(".tar"));
        assertThat(store.listMultipartUploads("wire-backups")).isEmpty();
    }

    /** A copy of {@code file} as the fan-out hands it to the destination, 5 MiB parts configured, outside a run. */
    private org.apache.camel.Exchange copyOf(org.apache.camel.CamelContext camel, Path file, String sha256)
            throws Exception {
        var exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.getIn().setHeaders(new java.util.HashMap<>(java.util.Map.of(S3Destination.BUCKET, "wire-backups",
                S3Destination.PREFIX, "wire/", S3Destination.ENDPOINT, "http://127.0.0.1:" + s3.getPort(),
                S3Destination.PATH_STYLE, true, S3Destination.PART_SIZE, 5L * 1024 * 1024,
                FullBackupHeaders.RUN_ID, "20261204T010203Z", FullBackupHeaders.FILE, file.toString(),
                FullBackupHeaders.BYTES, Files.size(file), FullBackupHeaders.SHA256, sha256,
                FullBackupHeaders.INSTALLATION, "wire-test")));
        return exchange;
    }

    private static JsonNode newest(TestInstallation wire) throws Exception {
        try (var runs = Files.list(wire.backupDir.resolve("runs"))) {
            Path dir = runs.sorted().reduce((x, y) -> y).orElseThrow();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("run.json").toFile());
        }
    }

    @Test
    void theRecordSaysWhichPartSizeACopyUsed() throws Exception {
        try (TestInstallation wire = installation()) {
            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(wire.onlyRunRecord().get("destinations").get(0).get("partSize").asLong()).isEqualTo(5242880L);
        }
    }

    @Test
    void readBackProvesTheCopyByItsSha256() throws Exception {
        try (TestInstallation wire = installation()) {
            DestinationFiles.s3(wire.routesDir, "offsite", "http://127.0.0.1:" + s3.getPort(),
                    java.util.Map.of("partSize", 5242880, "verify", "read-back"));

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("destinations").get(0).get("verifiedBy").asText())
                    .isEqualTo("read back, sha256 " + record.get("fullBackup").get("sha256").asText());
        }
    }

    @Test
    void anUploadWhoseAbortIsRefusedIsReportedWithItsIdAndTheNextRunAbortsIt() throws Exception {
        store.failingPart = 2;
        store.failuresLeft.set(Integer.MAX_VALUE);
        store.refuseAbort = true;
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts();
             LogCapture s3Log = LogCapture.of("org.wirebackup.destination")) {
            wire.set("backup.destination.retries", "0");

            Cli.Result failed = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(failed.exitCode()).isEqualTo(3);
            List<MultipartUpload> left = store.listMultipartUploads("wire-backups");
            assertThat(left).hasSize(1);
            assertThat(alerts.text()).contains("step=copy host=offsite", "the incomplete upload " + left.get(0).id()
                    + " could not be aborted");

            store.failuresLeft.set(0);
            store.refuseAbort = false;
            Thread.sleep(1100);
            Cli.Result next = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(next.exitCode()).as(next.out()).isZero();
            assertThat(store.listMultipartUploads("wire-backups")).isEmpty();
            assertThat(s3Log.text()).contains("aborted the incomplete upload " + left.get(0).id());
        }
    }

    @Test
    void aStoreThatKeepsFailingMakesTheRunPartialAndIsReported() throws Exception {
        store.failingPart = 1;
        store.failuresLeft.set(Integer.MAX_VALUE);
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            wire.set("backup.destination.retries", "0");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(3);
            JsonNode copy = wire.onlyRunRecord().get("destinations").get(0);
            assertThat(copy.get("status").asText()).isEqualTo("failed");
            assertThat(copy.get("error").asText()).contains("offsite", "part 1 failed 3 times");
            assertThat(alerts.text()).contains("step=copy host=offsite");
            assertThat(store.list("wire-backups", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()))
                    .noneMatch(m -> m.getName().endsWith(".tar"));
        }
    }

    @Test
    void theStorageClassReachesTheStoreOneItCannotKeepIsAWarningAndARefusedEncryptionFailsTheCopy() throws Exception {
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            String endpoint = "http://127.0.0.1:" + s3.getPort();
            Files.delete(wire.routesDir.resolve("offsite.yaml"));
            DestinationFiles.s3(wire.routesDir, "infrequent", endpoint,
                    java.util.Map.of("prefix", "ia/", "storageClass", "STANDARD_IA"));
            DestinationFiles.s3(wire.routesDir, "reduced", endpoint,
                    java.util.Map.of("prefix", "rrs/", "storageClass", "REDUCED_REDUNDANCY"));
            DestinationFiles.s3(wire.routesDir, "encrypted", endpoint,
                    java.util.Map.of("prefix", "sse/", "serverSideEncryption", "AES256"));
            wire.set("backup.destination.retries", "0");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isEqualTo(3);
            JsonNode record = wire.onlyRunRecord();
            String runId = record.get("runId").asText();
            assertThat(store.blobMetadata("wire-backups", "ia/" + runId + "/" + wire.copyName(runId)).getTier())
                    .isEqualTo(org.jclouds.blobstore.domain.Tier.COOL);
            assertThat(destination(record, "infrequent").has("warnings")).isFalse();
            // jclouds has no reduced-redundancy tier: S3Proxy keeps the object as STANDARD and says so
            assertThat(destination(record, "reduced").get("status").asText()).isEqualTo("ok");
            assertThat(destination(record, "reduced").get("warnings").toString())
                    .contains("asked for storage class REDUCED_REDUNDANCY; the store reports STANDARD");
            assertThat(result.out()).contains("warning: asked for storage class REDUCED_REDUNDANCY");
            // S3Proxy has no server-side encryption and refuses the header: the copy fails, loudly
            assertThat(destination(record, "encrypted").get("status").asText()).isEqualTo("failed");
            assertThat(destination(record, "encrypted").get("error").asText()).contains("not implemented");
            assertThat(alerts.text()).contains("step=copy host=encrypted");
            assertThat(store.list("wire-backups", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()))
                    .noneMatch(m -> m.getName().startsWith("sse/"));
        }
    }

    private static JsonNode destination(JsonNode record, String name) {
        for (JsonNode destination : record.get("destinations")) {
            if (destination.get("name").asText().equals(name)) {
                return destination;
            }
        }
        throw new AssertionError("no destination " + name + " in " + record);
    }

    private TestInstallation installation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        byte[] data = new byte[12 * 1024 * 1024];
        new Random(5).nextBytes(data);
        Files.write(wire.wireServerFolder.resolve("large.bin"), data);
        wire.set("backup.wire-server.compression", "none").set("backup.destination.retry-delay", "100ms");
        DestinationFiles.s3(wire.routesDir, "offsite", "http://127.0.0.1:" + s3.getPort(),
                java.util.Map.of("partSize", 5242880, "keep", 1));
        return wire;
    }

    private String sha256(String key) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(store.getBlob("wire-backups", key).getPayload().openStream(), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A blob store whose part number {@code failingPart} fails while {@code failuresLeft} lasts. */
    static final class FlakyBlobStore extends ForwardingBlobStore {
        volatile int failingPart;
        volatile boolean refuseAbort;
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger injected = new AtomicInteger();
        final List<Integer> partsUploaded = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger sidecarFailuresLeft = new AtomicInteger();
        volatile boolean refuseDeletes;

        @Override
        public String putBlob(String container, org.jclouds.blobstore.domain.Blob blob) {
            failSidecar(blob);
            return super.putBlob(container, blob);
        }

        @Override
        public String putBlob(String container, org.jclouds.blobstore.domain.Blob blob,
                              org.jclouds.blobstore.options.PutOptions options) {
            failSidecar(blob);
            return super.putBlob(container, blob, options);
        }

        private void failSidecar(org.jclouds.blobstore.domain.Blob blob) {
            if (blob.getMetadata().getName().endsWith(".sha256")
                    && sidecarFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("injected failure writing " + blob.getMetadata().getName());
            }
        }

        FlakyBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
            if (partNumber == failingPart && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                injected.incrementAndGet();
                throw new IllegalStateException("injected failure of part " + partNumber);
            }
            MultipartPart part = super.uploadMultipartPart(mpu, partNumber, payload);
            partsUploaded.add(partNumber);
            partsUploaded.sort(null);
            return part;
        }

        /** S3Proxy removes a filesystem upload's stub blob (named by the upload id) first: refused too. */
        @Override
        public void removeBlob(String container, String name) {
            if (refuseDeletes && name.endsWith(".tar")) {
                throw new org.jclouds.rest.AuthorizationException("access denied: object lock");
            }
            if (refuseAbort && name.matches("[0-9a-f-]{36}")) {
                throw new org.jclouds.rest.AuthorizationException("access denied: credentials revoked");
            }
            super.removeBlob(container, name);
        }

        @Override
        public void abortMultipartUpload(MultipartUpload mpu) {
            if (refuseAbort) {
                throw new org.jclouds.rest.AuthorizationException("access denied: credentials revoked");
            }
            super.abortMultipartUpload(mpu);
        }
    }
}
