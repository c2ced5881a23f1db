package org.wirebackup.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/** Several sources of every kind in one run: in parallel, each compressed its own way, each failing alone. */
class ParallelSourcesTest {

    @TempDir
    Path tmp;

    @Test
    void minioDirsAndOtherSourcesCaptureInParallelAndAFailingSourceDoesNotStopTheOthers() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp);
             EmbeddedSshServer slowHost = slowHost(wire, 2);
             LogCapture alerts = LogCapture.alerts()) {
            WireServerFolderCaptureTest.fillLikeAnInstallation(wire.wireServerFolder);
            Path minio1 = minioDir(wire.root.resolve("minio-host/var/lib/minio-server1"), "bucket-a");
            Path minio2 = minioDir(wire.root.resolve("minio-host/var/lib/minio-server2"), "bucket-b");
            Files.writeString(wire.ssh.knownHosts, slowHost.knownHostsLine() + "\n");
            String host = wire.ssh.target().user() + "@127.0.0.1:" + slowHost.port();
            wire.set("backup.wire-server.host", host)
                    .set("backup.minio.hosts", host)
                    .set("backup.minio.dirs", minio1 + "," + minio2)
                    .set("backup.minio.compression", "zstd")
                    .set("backup.commands", "inventory,broken")
                    .set("backup.command.inventory.host", host)
                    .set("backup.command.inventory.command", "printf 'hosts: 3\\n'")
                    .set("backup.command.inventory.suffix", ".txt")
                    .set("backup.command.inventory.compression", "none")
                    .set("backup.command.broken.host", host)
                    .set("backup.command.broken.command", "echo 'pg_dumpall: connection refused' >&2; exit 7");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode record = wire.onlyRunRecord();
            assertThat(record.get("status").asText()).isEqualTo("failed");
            Map<String, JsonNode> sources = bySource(record);
            assertThat(sources.keySet()).containsExactlyInAnyOrder("wire-server",
                    "minio-127.0.0.1-" + slowHost.port() + "-minio-server1",
                    "minio-127.0.0.1-" + slowHost.port() + "-minio-server2", "inventory", "broken");

            JsonNode broken = sources.get("broken");
            assertThat(broken.get("status").asText()).isEqualTo("failed");
            assertThat(broken.get("stderrTail").asText()).contains("connection refused",
                    "the command failed with exit status 7");
            assertThat(alerts.text()).contains("source=broken", "step=capture");
            for (String name : List.of("wire-server", "minio-127.0.0.1-" + slowHost.port() + "-minio-server1",
                    "minio-127.0.0.1-" + slowHost.port() + "-minio-server2", "inventory")) {
                assertThat(sources.get(name).get("status").asText()).as(name).isEqualTo("ok");
            }

            // every source waited 2 s on the slow host: in parallel they all overlap
            List<JsonNode> all = List.copyOf(sources.values());
            Instant latestStart = all.stream().map(s -> Instant.parse(s.get("startedAt").asText()))
                    .max(Instant::compareTo).orElseThrow();
            Instant earliestEnd = all.stream().map(s -> Instant.parse(s.get("finishedAt").asText()))
                    .min(Instant::compareTo).orElseThrow();
            assertThat(latestStart).as("the last source started before the first one ended").isBefore(earliestEnd);

            JsonNode minio = sources.get("minio-127.0.0.1-" + slowHost.port() + "-minio-server1");
            assertThat(minio.get("compression").asText()).isEqualTo("zstd -3");
            assertThat(minio.get("file").asText()).endsWith("-minio-server1.tar.zst");
            Path extracted = Trees.extract(wire.part(record, minio), tmp.resolve("restored-minio"));
            Trees.assertSame(minio1, extracted.resolve("minio-server1"));
            JsonNode inventory = sources.get("inventory");
            assertThat(wire.part(record, inventory)).hasFileName("inventory.txt").hasContent("hosts: 3");
            assertThat(inventory.get("format").asText()).isEqualTo("raw");
        }
    }

    @Test
    void aHostWithoutZstdIsCapturedUncompressedWithAWarning() throws Exception {
        Path bin = toolsWithoutZstd(tmp.resolve("bin"));
        try (TestInstallation wire = TestInstallation.create(tmp);
             EmbeddedSshServer noZstd = EmbeddedSshServer.start(0, wire.ssh.hostKey,
                     Set.of(wire.ssh.clientKey.getPublic()), wire.root, List.of("env", "PATH=" + bin))) {
            Path minio = minioDir(wire.root.resolve("minio-host/var/lib/minio-server1"), "bucket-a");
            Files.writeString(wire.ssh.knownHosts, noZstd.knownHostsLine() + "\n");
            String host = wire.ssh.target().user() + "@127.0.0.1:" + noZstd.port();
            wire.set("backup.wire-server.host", "")
                    .set("backup.minio.hosts", host)
                    .set("backup.minio.dirs", minio.toString())
                    .set("backup.minio.compression", "zstd");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            JsonNode source = record.get("sources").get(0);
            assertThat(source.get("compression").asText()).isEqualTo("none");
            assertThat(source.get("file").asText()).endsWith("-minio-server1.tar");
            assertThat(source.get("warnings").get(0).asText()).contains("zstd is not installed on " + host);
            Trees.assertSame(minio, Trees.extract(wire.part(record, source), tmp.resolve("restored"))
                    .resolve("minio-server1"));
        }
    }

    static Path minioDir(Path dir, String bucket) throws IOException {
        Files.createDirectories(dir.resolve(".minio.sys"));
        Files.writeString(dir.resolve(".minio.sys/format.json"), "{\"version\":\"1\"}");
        Files.createDirectories(dir.resolve(bucket + "/avatars"));
        byte[] image = new byte[200_000];
        new java.util.Random(bucket.hashCode()).nextBytes(image);
        Files.write(dir.resolve(bucket + "/avatars/3f1c.png"), image);
        return dir;
    }

    static EmbeddedSshServer slowHost(TestInstallation wire, int seconds) throws IOException {
        return EmbeddedSshServer.start(0, wire.ssh.hostKey, Set.of(wire.ssh.clientKey.getPublic()), wire.root,
                List.of("/bin/sh", "-c", "sleep " + seconds + "; exec \"$@\"", "slow-host"));
    }

    /** A PATH with the tools a Wire host has, but no zstd. */
    private static Path toolsWithoutZstd(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String tool : List.of("sh", "tar", "gzip", "timeout", "cat", "printf", "find", "grep", "env", "sleep")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path target = Path.of(dir, tool);
                if (Files.isExecutable(target) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), target);
                }
            }
        }
        return bin;
    }

    private static Map<String, JsonNode> bySource(JsonNode record) {
        return java.util.stream.StreamSupport.stream(record.get("sources").spliterator(), false)
                .collect(Collectors.toMap(s -> s.get("name").asText(), s -> s));
    }
}
