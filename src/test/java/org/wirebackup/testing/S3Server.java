package org.wirebackup.testing;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3 API on loopback: S3Proxy in-process over a filesystem blob store, with one bucket. */
public final class S3Server implements AutoCloseable {

    private final BlobStoreContext blobs;
    private final S3Proxy proxy;
    private final String bucket;

    private S3Server(BlobStoreContext blobs, S3Proxy proxy, String bucket) {
        this.blobs = blobs;
        this.proxy = proxy;
        this.bucket = bucket;
    }

    public static S3Server start(Path dir, String bucket) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toString());
        BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, bucket);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "identity", "credential").build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        return new S3Server(blobs, proxy, bucket);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public String identity() {
        return "identity";
    }

    public String credential() {
        return "credential";
    }

    public String sha256(String key) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(blobs.getBlobStore().getBlob(bucket, key).getPayload().openStream(),
                digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The full backups stored under {@code prefix}, sorted. */
    public java.util.List<String> keys(String prefix) {
        return blobs.getBlobStore().list(bucket, org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix(prefix)
                        .recursive()).stream().map(m -> m.getName()).filter(n -> n.endsWith(".tar")).sorted().toList();
    }

    /** Fetches an object over the S3 API, as an operator's {@code aws s3 cp} would, into {@code target}. */
    public Path download(String key, Path target) {
        try (software.amazon.awssdk.services.s3.S3Client s3 = client()) {
            s3.getObject(b -> b.bucket(bucket).key(key),
                    software.amazon.awssdk.core.sync.ResponseTransformer.toFile(target));
        }
        return target;
    }

    /** An S3 client of this store, as an operator's tools (or another installation) would use it. */
    public software.amazon.awssdk.services.s3.S3Client client() {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(endpoint()))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(identity(), credential())))
                // SDK 2.32's default checksum headers are refused by S3Proxy (like older MinIO and Ceph)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobs.close();
    }
}
