package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.StandInCassandra;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;

/**
 * The packaged jar killed with SIGKILL twice, as an OOM kill or a reboot would stop it: once while its copies were
 * going to an SSH backup host and an S3 bucket, once while its Cassandra snapshot was on the node. Each kill leaves
 * what the run had started: the snapshot tag, the {@code .partial} on the backup host, the multipart upload (on a store
 * that cannot list incomplete uploads, so only the run's own record of the id finds it). The next run removes every
 * one of them, names each, and leaves the operator's own snapshot alone.
 */
class KilledRunLeftoversIT {

    @TempDir
    Path tmp;

    @Test
    void theNextRunCleansWhatKilledRunsStartedAndNamesEachThing() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path slowSync = tmp.resolve("slow-sync");
        Path slowSnapshot = tmp.resolve("slow-snapshot");
        // the backup host's sync hangs while slow-sync exists: a copy's .partial is written and not yet in place
        executable(bin.resolve("sync"), "#!/bin/sh\nwhile [ -e '" + slowSync + "' ]; do sleep 0.2; done\n"
                + "exec /bin/sync \"$@\"\n");
        StandInCassandra cassandra = StandInCassandra.create(tmp.resolve("cassandra-host"));
        cassandra.nodetoolSnapshot("before-upgrade"); // the operator's own
        // nodetool snapshot takes its snapshot, then hangs while slow-snapshot exists: a big node's snapshot
        Path nodetool = executable(tmp.resolve("nodetool"), "#!/bin/sh\n" + cassandra.nodetool + " \"$@\" || exit $?\n"
                + "if [ \"$1\" = snapshot ]; then while [ -e '" + slowSnapshot + "' ]; do sleep 0.2; done; fi\n");
        BlockingStore store = null;
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"),
                SshFixture.startWithPathFirst(tmp.resolve("wire/ssh"), bin), "wire-host/home/wire/wire-server");
             BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                     .overrides(properties(tmp.resolve("s3"))).build(BlobStoreContext.class)) {
            store = new BlockingStore(blobs.getBlobStore());
            store.createContainerInLocation(null, "wire-backups");
            S3Proxy s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "identity", "credential").build();
            s3.start();
            try {
                while (!s3.getState().equals("STARTED")) {
                    Thread.sleep(10);
                }
                Files.write(wire.wireServerFolder.resolve("large.bin"), new byte[8 << 20]);
                Path backupHostDir = tmp.resolve("backup-host/srv/wire-backups");
                wire.set("backup.wire-server.compression", "none")
                        .set("backup.cassandra.hosts", wire.ssh.hostSpec())
                        .set("backup.cassandra.data-dir", cassandra.dataDir.toString())
                        .set("backup.cassandra.nodetool", nodetool.toString())
                        .set("backup.cassandra.config-file", cassandra.configFile.toString())
                        .set("backup.cassandra.schema", "false")
                        .set("backup.retention.keep", "0");
                DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), backupHostDir, 0);
                DestinationFiles.s3(wire.routesDir, "offsite", "http://127.0.0.1:" + s3.getPort(),
                        Map.of("partSize", 5242880));
                Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "identity", "AWS_SECRET_ACCESS_KEY",
                        "credential");
                Path settings = wire.writeSettings();

                // 1: killed while its copies are going up
                Files.createFile(slowSync);
                store.blockParts = true;
                JarProcess.Started first = JarProcess.start(List.of("-Xmx256m"), env, tmp, "backup", "--config",
                        settings.toString());
                BlockingStore blocking = store;
                await(first, () -> !partials(backupHostDir).isEmpty() && blocking.partsSeen > 0,
                        "the first run's copies under way");
                first.process().destroyForcibly().waitFor();
                List<String> partialsLeft = partials(backupHostDir);
                List<String> uploadsLeft = blobs.getBlobStore().listMultipartUploads("wire-backups").stream()
                        .map(MultipartUpload::id).toList();
                assertThat(partialsLeft).singleElement().asString().endsWith("-wire-test.tar.partial");
                assertThat(uploadsLeft).hasSize(1);
                Files.delete(slowSync);
                store.blockParts = false;
                // 2: killed while its snapshot is on the node
                Thread.sleep(1100);
                Files.createFile(slowSnapshot);
                JarProcess.Started second = JarProcess.start(List.of("-Xmx256m"), env, tmp, "backup", "--config",
                        settings.toString());
                await(second, () -> !snapshotTags(cassandra).stream().filter(t -> t.startsWith("wire-backup-"))
                        .toList().isEmpty(), "the second run's snapshot");
                second.process().destroyForcibly().waitFor();
                String snapshotRun = "wire-backup-" + onlyRunning(wire);
                assertThat(snapshotTags(cassandra)).contains(snapshotRun, "before-upgrade");
                Files.delete(slowSnapshot);

                store.refuseListing = true; // as a store that cannot list them: only the run's own record finds it

                Thread.sleep(1100);
                JarProcess.Result next = JarProcess.run(List.of("-Xmx256m"), env, tmp, 300, "backup", "--config",
                        settings.toString());

                assertThat(next.exitCode()).as(next.output()).isZero();
                assertThat(snapshotTags(cassandra)).as("only the operator's snapshot is left")
                        .containsExactly("before-upgrade");
                assertThat(partials(backupHostDir)).isEmpty();
                assertThat(blobs.getBlobStore().listMultipartUploads("wire-backups")).isEmpty();
                JsonNode record = newestRecord(wire);
                String text = record.toString();
                assertThat(text).contains("cleared snapshot " + snapshotRun + " on ",
                        "removed " + wire.ssh.hostSpec() + ":" + backupHostDir + "/" + partialsLeft.get(0),
                        "aborted the incomplete upload " + uploadsLeft.get(0));
                assertThat(next.output()).contains("cleared snapshot " + snapshotRun, partialsLeft.get(0),
                        uploadsLeft.get(0));
            } finally {
                s3.stop();
            }
        }
    }

    private static Path executable(Path file, String script) throws Exception {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Properties properties(Path dir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toString());
        return properties;
    }

    private static void await(JarProcess.Started process, BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (!process.process().isAlive()) {
                throw new AssertionError("the run ended before " + what + ": " + Files.readString(process.log()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " in 120 s: " + Files.readString(process.log()));
            }
            Thread.sleep(100);
        }
        Thread.sleep(500);
    }

    private static List<String> snapshotTags(StandInCassandra cassandra) {
        try (Stream<Path> walk = Files.walk(cassandra.dataDir, 4)) {
            return walk.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("snapshots"))
                    .map(p -> p.getFileName().toString()).distinct().sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> partials(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".full-backup-")
                    && n.endsWith(".tar.partial")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String onlyRunning(TestInstallation wire) throws Exception {
        try (Stream<Path> runs = Files.list(wire.backupDir.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static JsonNode newestRecord(TestInstallation wire) throws Exception {
        return new ObjectMapper().readTree(wire.backupDir.resolve("runs").resolve(onlyRunning(wire))
                .resolve("run.json").toFile());
    }

    /** Holds every part upload while {@code blockParts}; refuses to list incomplete uploads while {@code refuseListing}. */
    static final class BlockingStore extends ForwardingBlobStore {
        volatile boolean blockParts;
        volatile boolean refuseListing;
        volatile int partsSeen;

        BlockingStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
            partsSeen++;
            while (blockParts) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return super.uploadMultipartPart(mpu, partNumber, payload);
        }

        @Override
        public List<MultipartUpload> listMultipartUploads(String container) {
            if (refuseListing) {
                throw new UnsupportedOperationException("this store does not list incomplete uploads");
            }
            return super.listMultipartUploads(container);
        }
    }
}
