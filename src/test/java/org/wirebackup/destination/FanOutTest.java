package org.wirebackup.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;

/** Verified copies to two SSH backup hosts, a bucket and a mounted directory, each added by dropping one YAML file. */
class FanOutTest {

    @TempDir
    Path tmp;

    @Test
    void everyDestinationGetsAVerifiedCopyAndAHostThatIsDownMakesTheRunPartial() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
             EmbeddedSshServer backupHost1 = backupHost(wire);
             EmbeddedSshServer backupHost2 = backupHost(wire);
             org.wirebackup.testing.S3Server s3 = org.wirebackup.testing.S3Server.start(tmp.resolve("s3"), "wire-backups");
             LogCapture alerts = LogCapture.alerts();
             LogCapture fanOut = LogCapture.of("org.wirebackup.destination")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Files.writeString(wire.ssh.knownHosts, wire.ssh.server.knownHostsLine() + "\n" + backupHost1.knownHostsLine()
                    + "\n" + backupHost2.knownHostsLine() + "\n");
            Path dir1 = tmp.resolve("host1/srv/wire backups");
            Path dir2 = tmp.resolve("host2/srv/wire-backups");
            Path nfs = Files.createDirectories(tmp.resolve("mnt/nfs/wire-backups"));
            scpDestination(wire, "backup-host-1", wire.ssh.target().user() + "@127.0.0.1:" + backupHost1.port(), dir1, 1);
            scpDestination(wire, "backup-host-2", wire.ssh.target().user() + "@127.0.0.1:" + backupHost2.port(), dir2, 0);
            Files.writeString(wire.routesDir.resolve("nfs.yaml"), """
                    - route:
                        id: nfs
                        group: wire-backup-destination
                        from:
                          uri: direct:destination-nfs
                          steps:
                            - to:
                                uri: file:%s
                                parameters:
                                  tempFileName: ".${file:name}.partial"
                                  fileExist: Fail
                    """.formatted(nfs));
            DestinationFiles.s3(wire.routesDir, "offsite", s3.endpoint(), Map.of("prefix", "wire/"));
            System.setProperty("aws.accessKeyId", s3.identity());
            System.setProperty("aws.secretAccessKey", s3.credential());
            wire.set("backup.destination.retries", "1").set("backup.destination.retry-delay", "100ms");

            Cli.Result first = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(first.exitCode()).as(first.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            // the shipped destinations name the copy with the installation; a plain file: route keeps the local name
            String local = Path.of(record.get("fullBackup").get("file").asText()).getFileName().toString();
            String name = wire.copyName(record.get("runId").asText());
            String sha = record.get("fullBackup").get("sha256").asText();
            assertThat(destinations(record)).containsOnlyKeys("backup-host-1", "backup-host-2", "nfs", "offsite")
                    .allSatisfy((id, d) -> assertThat(d.get("status").asText()).as(id)
                            .isEqualTo(id.equals("nfs") ? "unverified" : "ok"));
            // a plain file: route checks nothing it wrote: the record says so, and how the others proved theirs
            assertThat(destinations(record).get("nfs").has("verifiedBy")).isFalse();
            assertThat(destinations(record).get("backup-host-1").get("verifiedBy").asText())
                    .isEqualTo("size and sha256 read back on the host");
            assertThat(first.out()).contains("copy    UNVERIFIED nfs");
            assertThat(destinations(record).get("backup-host-1").get("location").asText())
                    .isEqualTo(wire.ssh.target().user() + "@127.0.0.1:" + backupHost1.port() + ":" + dir1 + "/" + name);
            // the operator's own file route got the .sha256 too, as a second message: sha256sum -c works there
            assertThat(nfs.resolve(local + ".sha256")).hasContent(sha + "  " + local + "\n");
            for (Path copy : List.of(dir1.resolve(name), dir2.resolve(name), nfs.resolve(local))) {
                assertThat(sha256(copy)).as(copy.toString()).isEqualTo(sha);
            }
            assertThat(files(dir1)).containsExactly("." + name + ".installation", name, name + ".sha256"); // no .partial
            String key = "wire/" + record.get("runId").asText() + "/" + name;
            assertThat(destinations(record).get("offsite").get("location").asText()).isEqualTo("s3://wire-backups/" + key);
            assertThat(s3.sha256(key)).isEqualTo(sha);
            // any copy verifies offline, wherever it came from
            Path fromS3 = s3.download(key, tmp.resolve("downloaded-" + name));
            for (Path copy : List.of(dir1.resolve(name), nfs.resolve(local), fromS3)) {
                Cli.Result verified = Cli.run("verify", copy.toString());
                assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
                assertThat(verified.out()).containsPattern("OK +wire-server.tar.gz").contains("is a good full backup");
            }

            backupHost2.close(); // backup host 2 goes down
            Thread.sleep(1100);
            Cli.Result second = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(second.exitCode()).as(second.out()).isEqualTo(3);
            JsonNode partial = newestRecord(wire);
            assertThat(partial.get("status").asText()).isEqualTo("partial");
            assertThat(partial.get("error").asText()).startsWith("1 of 4 destinations failed: backup-host-2");
            Map<String, JsonNode> copies = destinations(partial);
            assertThat(copies.get("backup-host-2").get("status").asText()).isEqualTo("failed");
            assertThat(copies.get("backup-host-2").get("attempts").asInt()).isEqualTo(2);
            assertThat(copies.get("backup-host-2").get("error").asText()).contains("backup-host-2", "cannot connect");
            assertThat(copies.get("backup-host-1").get("status").asText()).isEqualTo("ok");
            assertThat(copies.get("nfs").get("status").asText()).isEqualTo("unverified");
            assertThat(copies.get("offsite").get("status").asText()).isEqualTo("ok");
            String secondName = wire.copyName(partial.get("runId").asText());
            assertThat(files(dir1)).as("keep 1 on backup host 1").containsExactly("." + secondName + ".installation", secondName, secondName + ".sha256");
            assertThat(files(dir2)).as("backup host 2 still has the first copy")
                    .containsExactly("." + name + ".installation", name, name + ".sha256");
            assertThat(alerts.text()).contains("step=copy host=backup-host-2", "failed after 2 attempts");
            assertThat(fanOut.text()).contains("destination backup-host-2 failed (attempt 1 of 2), trying again");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void aBadDestinationParameterIsRefusedAtStartUpNamingTheFile() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            scpDestination(wire, "misconfigured", wire.ssh.hostSpec(), Path.of("relative/dir"), 0);

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).startsWith("wire-backup: configuration error: "
                    + wire.routesDir.resolve("misconfigured.yaml") + ": kamelet backup-scp-sink parameter 'directory' is"
                    + " \"relative/dir\"");
            assertThat(wire.backupDir.resolve("runs")).doesNotExist();
        }
    }

    @Test
    void aHostThatCannotStoreTheCopyFailsItSayingWhyAndLeavesNoCopy() throws Exception {
        // a backup user without root's override of file permissions, and a directory it may not write
        try (SshFixture ssh = SshFixture.startWithoutRootFileAccess(tmp.resolve("ssh"));
             TestInstallation wire = TestInstallation.create(tmp.resolve("wire"), ssh, "wire-host/home/wire/wire-server")) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
            scpDestination(wire, "full-host", ssh.hostSpec(), readOnly, 0);
            wire.set("backup.destination.retries", "0");
            Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

                assertThat(result.exitCode()).isEqualTo(3);
                JsonNode copy = destinations(wire.onlyRunRecord()).get("full-host");
                assertThat(copy.get("status").asText()).isEqualTo("failed");
                assertThat(copy.get("error").asText()).contains("full-host: copy to ", "command exited with status", "Permission denied");
                assertThat(result.out()).contains("copy    FAILED     full-host");
                try (Stream<Path> left = Files.list(readOnly)) {
                    assertThat(left).isEmpty();
                }
            } finally {
                Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static void scpDestination(TestInstallation wire, String id, String host, Path dir, int keep) throws Exception {
        DestinationFiles.scp(wire.routesDir, id, host, dir, keep);
    }

    @Test
    void aRefusedHostKeyIsNotTriedAgainLikeATransientError() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
             EmbeddedSshServer unknownHost = backupHost(wire);
             LogCapture alerts = LogCapture.alerts()) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            // its key is not in known_hosts
            scpDestination(wire, "unknown-host", wire.ssh.target().user() + "@127.0.0.1:" + unknownHost.port(),
                    tmp.resolve("unknown/srv"), 0);
            wire.set("backup.destination.retries", "3").set("backup.destination.retry-delay", "20s");

            long started = System.nanoTime();
            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat((System.nanoTime() - started) / 1_000_000_000L).as("no 20 s retry wait").isLessThan(15);
            JsonNode copy = destinations(wire.onlyRunRecord()).get("unknown-host");
            assertThat(copy.get("attempts").asInt()).isEqualTo(1);
            assertThat(copy.get("error").asText()).contains("not tried again: a refused host key is no transient error");
            assertThat(alerts.text()).contains("step=copy host=unknown-host");
        }
    }

    private static EmbeddedSshServer backupHost(TestInstallation wire) throws Exception {
        return EmbeddedSshServer.start(0, KeyMaterial.generateEcdsa(), Set.of(wire.ssh.clientKey.getPublic()),
                wire.root, List.of());
    }

    private static Map<String, JsonNode> destinations(JsonNode record) {
        return java.util.stream.StreamSupport.stream(record.get("destinations").spliterator(), false)
                .collect(Collectors.toMap(d -> d.get("name").asText(), d -> d));
    }

    private static JsonNode newestRecord(TestInstallation wire) throws Exception {
        try (Stream<Path> runs = Files.list(wire.backupDir.resolve("runs"))) {
            Path newest = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(newest.resolve("run.json").toFile());
        }
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
