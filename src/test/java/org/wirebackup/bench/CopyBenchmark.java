package org.wirebackup.bench;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.scp.client.ScpClientCreator;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.wirebackup.destination.FullBackupHeaders;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.destination.ScpDestination;
import org.wirebackup.ssh.IdentityFiles;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshSettings;
import org.wirebackup.testing.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Run by bench/copy-throughput.sh (not a test): times wire-backup's SSH copy to the script's OpenSSH server, and its
 * S3 copy against a plain AWS SDK upload of the same file to the same in-process S3Proxy: one PUT, and a multipart
 * upload with wire-backup's part size and parts in flight (the protocol it must use for multi-GB files). Prints RESULT
 * lines.
 * Args: WORK_DIR SSH_PORT USER FILE ROUNDS [s3] (s3: only the S3 copies, to compare two builds)
 */
public final class CopyBenchmark {

    private CopyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        Path file = Path.of(args[3]);
        int rounds = Integer.parseInt(args[4]);
        boolean onlyS3 = args.length > 5 && args[5].equals("s3");
        long bytes = Files.size(file);
        String sha256 = sha256(file);
        SshSettings ssh = new SshSettings(work.resolve("keys/known_hosts"),
                IdentityFiles.load(work.resolve("keys/id_ed25519"), null), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofHours(1));
        System.setProperty("aws.accessKeyId", "identity");
        System.setProperty("aws.secretAccessKey", "credential");
        try (SshClient minaClient = minaClient();
             ClientSession minaSession = minaSession(minaClient, user, port, ssh);
             RemoteCommandRunner runner = new RemoteCommandRunner(ssh);
             S3Server s3 = S3Server.start(work.resolve("s3"), "bench");
             S3Destination s3Destination = new S3Destination();
             DefaultCamelContext camel = new DefaultCamelContext();
             S3Client plain = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                     .endpointOverride(java.net.URI.create(s3.endpoint()))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("identity", "credential")))
                     .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build()) {
            ScpDestination scp = new ScpDestination(runner, user);
            for (int round = 1; round <= rounds; round++) {
                String runId = String.format("20261123T0000%02dZ", round);
                Exchange exchange;
                long t;
                if (!onlyS3) {
                    exchange = exchange(camel, file, runId, bytes, sha256);
                    exchange.getIn().setHeader(ScpDestination.HOST, user + "@127.0.0.1:" + port);
                    exchange.getIn().setHeader(ScpDestination.DIRECTORY, work.resolve("remote-wire-backup/r" + round).toString());
                    t = System.nanoTime();
                    scp.copy(exchange);
                    report("scp-wire-backup", t);
                }

                exchange = exchange(camel, file, runId, bytes, sha256);
                exchange.getIn().setHeader(S3Destination.BUCKET, "bench");
                exchange.getIn().setHeader(S3Destination.ENDPOINT, s3.endpoint());
                exchange.getIn().setHeader(S3Destination.PATH_STYLE, true);
                t = System.nanoTime();
                s3Destination.copy(exchange);
                report("s3-wire-backup", t);

                t = System.nanoTime();
                plain.putObject(b -> b.bucket("bench").key("plain/" + runId + ".tar"), RequestBody.fromFile(file));
                report("s3-plain-sdk", t);

                t = System.nanoTime();
                plainMultipart(plain, "plain-multipart/" + runId + ".tar", file, bytes);
                report("s3-plain-multipart", t);
                if (onlyS3) {
                    continue;
                }

                Path mina = Files.createDirectories(work.resolve("remote-mina/r" + round));
                t = System.nanoTime();
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(minaSession);
                     OutputStream out = sftp.write(mina.resolve("sftp.bin").toString())) {
                    Files.copy(file, out);
                }
                report("sftp-mina", t);
                t = System.nanoTime();
                ScpClientCreator.instance().createScpClient(minaSession).upload(file, mina.resolve("scp.bin").toString());
                report("scp-mina", t);
                deleteTree(mina);
            }
        }
    }

    /** A MINA client set up as wire-backup's runner sets up its own: AES-GCM first, no ~/.ssh/config. */
    private static SshClient minaClient() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setCipherFactories(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        // the bench's own sshd on loopback, started by the script with a fresh host key
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        return client;
    }

    private static ClientSession minaSession(SshClient client, String user, int port, SshSettings ssh) throws Exception {
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
        ssh.identities().forEach(session::addPublicKeyIdentity);
        session.auth().verify(Duration.ofSeconds(10));
        return session;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Exchange exchange(DefaultCamelContext camel, Path file, String runId, long bytes, String sha256) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader(FullBackupHeaders.RUN_ID, runId);
        exchange.getIn().setHeader(FullBackupHeaders.FILE, file.toString());
        exchange.getIn().setHeader(FullBackupHeaders.BYTES, bytes);
        exchange.getIn().setHeader(FullBackupHeaders.SHA256, sha256);
        exchange.getIn().setHeader(FullBackupHeaders.DESTINATION, "bench");
        exchange.getIn().setHeader(FullBackupHeaders.INSTALLATION, "bench");
        return exchange;
    }

    /** A plain SDK multipart upload as wire-backup makes it (64 MiB parts, 4 at a time), with no proof of its own. */
    private static void plainMultipart(S3Client s3, String key, Path file, long bytes) throws Exception {
        long partSize = 64L * 1024 * 1024;
        String uploadId = s3.createMultipartUpload(b -> b.bucket("bench").key(key)).uploadId();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<CompletedPart>> parts = new ArrayList<>();
            for (long offset = 0; offset < bytes; offset += partSize) {
                long from = offset;
                long length = Math.min(partSize, bytes - offset);
                int number = (int) (offset / partSize) + 1;
                parts.add(pool.submit(() -> CompletedPart.builder().partNumber(number).eTag(s3.uploadPart(
                        b -> b.bucket("bench").key(key).uploadId(uploadId).partNumber(number).contentLength(length),
                        RequestBody.fromContentProvider(() -> slice(file, from, length), length,
                                "application/x-tar")).eTag()).build()));
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                done.add(part.get());
            }
            s3.completeMultipartUpload(b -> b.bucket("bench").key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
            s3.headObject(b -> b.bucket("bench").key(key));
        } finally {
            pool.shutdownNow();
        }
    }

    private static java.io.InputStream slice(Path file, long offset, long length) {
        try {
            var channel = java.nio.channels.FileChannel.open(file).position(offset);
            return org.apache.commons.io.input.BoundedInputStream.builder()
                    .setInputStream(java.nio.channels.Channels.newInputStream(channel)).setMaxCount(length).get();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void report(String what, long startedNanos) {
        System.out.printf("RESULT %s %.3f%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = new java.security.DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

}
