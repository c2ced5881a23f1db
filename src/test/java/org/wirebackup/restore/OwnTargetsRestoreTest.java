package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.archive.Manifest;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.ssh.SshTarget;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * Wire runs MinIO on several hosts with the same paths: every part of a restore goes to a target of its own, and a
 * plan that would put two parts in one place is refused before anything changes, naming both.
 */
class OwnTargetsRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void minioOnThreeHostsWithTheSamePathsGetsATargetEachOrIsRefusedNamingBothParts() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket")).getParent();
            Files.writeString(minio.resolve("bucket/3-2-abc"), "an image");
            List<EmbeddedSshServer> hosts = new ArrayList<>();
            StringBuilder knownHosts = new StringBuilder(wire.ssh.server.knownHostsLine()).append('\n');
            for (int i = 0; i < 3; i++) {
                EmbeddedSshServer host = EmbeddedSshServer.start(0, KeyMaterial.generateEcdsa(),
                        Set.of(wire.ssh.clientKey.getPublic()), wire.root, List.of());
                hosts.add(host);
                knownHosts.append(host.knownHostsLine()).append('\n');
            }
            try {
                Files.writeString(wire.ssh.knownHosts, knownHosts);
                List<String> specs = hosts.stream().map(h -> wire.ssh.target().user() + "@127.0.0.1:" + h.port())
                        .toList();
                wire.set("backup.minio.hosts", String.join(",", specs)).set("backup.minio.dirs", minio.toString());
                assertThat(Cli.run("backup", "--config", wire.writeSettings().toString()).exitCode()).isZero();
                String runId = wire.onlyRunRecord().get("runId").asText();
                Path before = Trees.copy(wire.root.resolve("minio"), tmp.resolve("before"));

                Cli.Result oneHost = Cli.run("restore", "--only", "minio", "--replace", "--yes", "--config",
                        wire.set("restore.minio.host", specs.get(0)).writeSettings().toString());
                wire.settings.remove("restore.minio.host");
                Cli.Result twoOnOne = Cli.run("restore", "--only", "minio", "--plan", "--config",
                        wire.set("restore.hosts", specs.get(1) + "=" + specs.get(0)).writeSettings().toString());
                wire.settings.remove("restore.hosts");

                assertThat(oneHost.exitCode()).as(oneHost.out() + oneHost.err()).isEqualTo(2);
                // parts are named by host and port, and listed by name: any two of the three share the one host
                assertThat(oneHost.err()).containsPattern("restore\\.minio\\.host: parts minio-127\\.0\\.0\\.1-\\d+"
                        + "-minio-server1\\.tar \\(from [^)]+\\) and minio-127\\.0\\.0\\.1-\\d+-minio-server1\\.tar"
                        + " \\(from [^)]+\\) would both go to ")
                        .contains("would both go to " + specs.get(0) + ":" + minio, "nothing was changed");
                assertThat(twoOnOne.exitCode()).isEqualTo(2);
                assertThat(twoOnOne.err()).contains("restore.hosts: parts ", "would both go to " + specs.get(0) + ":"
                        + minio);
                Trees.assertSame(before, wire.root.resolve("minio"));
                assertThat(wire.backupDir.resolve("restores")).as("nothing was restored").doesNotExist();

                // the new installation: each host's directory to its own place
                List<String> dirs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    dirs.add(specs.get(i) + ":" + minio + "=" + wire.root.resolve("new/minio" + i));
                }
                Cli.Result restored = Cli.run("restore", "--only", "minio", "--yes", "--config",
                        wire.set("restore.minio.dirs", String.join(",", dirs)).writeSettings().toString());

                assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
                for (int i = 0; i < 3; i++) {
                    Trees.assertSame(minio, wire.root.resolve("new/minio" + i));
                }
                JsonNode record = onlyRestoreRecord(wire);
                assertThat(record.get("runId").asText()).isEqualTo(runId);
                assertThat(record.get("parts")).hasSize(3);
                Map<String, String> targetOfHost = new java.util.HashMap<>();
                for (JsonNode part : record.get("parts")) {
                    assertThat(part.get("status").asText()).isEqualTo("ok");
                    targetOfHost.put(part.get("host").asText(), part.get("path").asText());
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(targetOfHost).containsEntry(specs.get(i), wire.root.resolve("new/minio" + i).toString());
                }
            } finally {
                for (EmbeddedSshServer host : hosts) {
                    host.close();
                }
            }
        }
    }

    @Test
    void twoCassandraNodesOnOneNodeAreRefusedAndTheDrillsScratchClusterMayTakeBoth() {
        Manifest manifest = new Manifest(1, "20261204T100000Z", "2026-12-04T10:00:00Z", "2026-12-04T10:00:01Z",
                "test", List.of(node("cassandra-a.tar", "wire@10.0.0.1"), node("cassandra-b.tar", "wire@10.0.0.2")),
                "wire-test");
        SshTarget fresh = new SshTarget("wire", "10.9.0.1", 22);
        RestoreSettings oneNode = withCassandraHosts(List.of(fresh));
        List<RestoreTarget> targets = RestoreTargets.of(manifest, "wire", oneNode);

        assertThatThrownBy(() -> RestoreTargets.refuseShared(targets, Set.of("cassandra"), oneNode))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("restore.cassandra.hosts: parts cassandra-a.tar (from wire@10.0.0.1) and"
                        + " cassandra-b.tar (from wire@10.0.0.2) would both go to node wire@10.9.0.1");
        // restoring only the directories, the nodes do not matter
        RestoreTargets.refuseShared(targets, Set.of("wire-server", "minio"), oneNode);
        RestoreSettings twoNodes = withCassandraHosts(List.of(fresh, new SshTarget("wire", "10.9.0.2", 22)));
        RestoreTargets.refuseShared(RestoreTargets.of(manifest, "wire", twoNodes), Set.of("cassandra"), twoNodes);
    }

    private static RestoreSettings withCassandraHosts(List<SshTarget> hosts) {
        RestoreSettings defaults = RestoreSettings.sameAsRecorded(null);
        return new RestoreSettings(null, null, null, Map.of(), Map.of(), hosts, defaults.sstableloader(),
                defaults.stagingDir(), defaults.parallelLoads(), Map.of(), Map.of(), null);
    }

    private static Manifest.Part node(String name, String host) {
        return new Manifest.Part(name, "cassandra", "cassandra", host, "/var/lib/cassandra/data", null, "tar", "none",
                10, "0".repeat(64), 1L, List.of());
    }

    private static JsonNode onlyRestoreRecord(TestInstallation wire) throws Exception {
        try (Stream<Path> restores = Files.list(wire.backupDir.resolve("restores"))) {
            List<Path> dirs = restores.toList();
            assertThat(dirs).hasSize(1);
            return new ObjectMapper().readTree(dirs.get(0).resolve("restore.json").toFile());
        }
    }
}
