package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.testing.CassandraNode;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;

/**
 * {@code restore --replace} over a keyspace that holds data truncates its tables, and a TRUNCATE empties a table on
 * every node: so every node the cluster reports is snapshotted first, and a node that is down, or that no SSH host
 * known to the restore is, refuses the restore before anything changes. A real two-node Cassandra 5.0.4 cluster (on
 * 127.0.0.1 and 127.0.0.2), each node with its own SSH host whose PATH finds that node's nodetool.
 */
class ClusterReplaceRestoreIT {

    private static final int ROWS_IN_BACKUP = 400;

    @TempDir
    Path tmp;

    @Test
    void everyNodeIsSnapshottedBeforeTheTruncateAndANodeThatIsDownOrUnknownRefusesIt() throws Exception {
        long started = System.nanoTime();
        List<CassandraNode> nodes = CassandraNode.startCluster(tmp.resolve("cassandra"), 2);
        CassandraNode first = nodes.get(0);
        CassandraNode second = nodes.get(1);
        try (SshFixture sshFirst = SshFixture.startWithPathFirst(tmp.resolve("ssh1"), first.home.resolve("bin"));
             EmbeddedSshServer sshSecond = EmbeddedSshServer.start(0, org.wirebackup.demo.KeyMaterial.generateEcdsa(),
                     Set.of(sshFirst.clientKey.getPublic()), tmp, List.of("env",
                             "PATH=" + second.home.resolve("bin") + ":" + System.getenv("PATH")));
             TestInstallation wire = TestInstallation.create(tmp.resolve("backup-host"), sshFirst, "unused");
             CqlSession cql = session(first)) {
            System.out.printf("CLUSTER IT: two nodes up after %.1f s%n", (System.nanoTime() - started) / 1e9);
            Files.writeString(sshFirst.knownHosts, sshSecond.knownHostsLine() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            String secondHost = sshFirst.target().user() + "@127.0.0.1:" + sshSecond.port();
            // both nodes hold every row: the keyspace stays readable with one node down, as Wire's RF 3 is
            cql.execute("CREATE KEYSPACE brig WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
            cql.execute("CREATE TABLE brig.user (id int PRIMARY KEY, name text)");
            for (int i = 0; i < ROWS_IN_BACKUP; i++) {
                cql.execute("INSERT INTO brig.user (id, name) VALUES (" + i + ", 'user " + i + "')");
            }
            wire.set("backup.wire-server.host", "")
                    .set("backup.cassandra.hosts", sshFirst.hostSpec())
                    .set("backup.cassandra.data-dir", first.dataDir.toString())
                    .set("backup.cassandra.nodetool", "nodetool")
                    .set("backup.cassandra.config-file", first.configFile.toString())
                    .set("backup.cassandra.cql-address", "127.0.0.1")
                    .set("backup.cassandra.cql-port", String.valueOf(first.cqlPort))
                    .set("restore.cassandra.sstableloader", "sstableloader -sp " + first.storagePort);
            Cli.Result backup = Cli.run("backup", "--config", wire.writeSettings().toString());
            assertThat(backup.exitCode()).as(backup.out()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            String tag = "before-restore-" + runId;
            for (int i = ROWS_IN_BACKUP; i < ROWS_IN_BACKUP + 100; i++) {
                cql.execute("INSERT INTO brig.user (id, name) VALUES (" + i + ", 'written after the backup')");
            }

            // the second node is in the cluster, but no SSH host this restore knows is it
            Cli.Result unknownNode = Cli.run("restore", "--only", "cassandra", "--replace", "--yes", "--config",
                    wire.writeSettings().toString());

            assertThat(unknownNode.exitCode()).as(unknownNode.out() + unknownNode.err()).isEqualTo(2);
            // nodetool status lists the nodes in token order
            assertThat(unknownNode.out()).contains("cluster: ", "127.0.0.1 up (" + sshFirst.hostSpec() + ")",
                    "127.0.0.2 up, no SSH host known");
            assertThat(unknownNode.err()).contains("--replace truncates brig on every node, so every node must be"
                    + " snapshotted first, but node 127.0.0.2", "is not one of the SSH hosts known to this restore"
                    + " (add it to restore.cassandra.hosts)", "nothing was changed");
            assertThat(rows(cql)).as("nothing truncated").isEqualTo(ROWS_IN_BACKUP + 100);
            assertThat(first.snapshotDirs(tag)).isEmpty();
            assertThat(second.snapshotDirs(tag)).isEmpty();

            long restoreStarted = System.nanoTime();
            Cli.Result restored = Cli.run("restore", "--only", "cassandra", "--replace", "--yes", "--config",
                    wire.set("restore.cassandra.hosts", sshFirst.hostSpec() + "," + secondHost).writeSettings()
                            .toString());
            System.out.printf("CLUSTER IT: restore --replace took %.1f s%n", (System.nanoTime() - restoreStarted) / 1e9);

            assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
            assertThat(restored.out()).contains("cluster: ", "127.0.0.1 up (" + sshFirst.hostSpec() + ")",
                    "127.0.0.2 up (" + secondHost + ")");
            assertThat(first.snapshotDirs(tag)).as("snapshotted on the node the part is loaded on")
                    .containsExactly("brig/" + tableDir(first) + "/snapshots/" + tag);
            assertThat(second.snapshotDirs(tag)).as("and on the node no part goes to")
                    .containsExactly("brig/" + tableDir(second) + "/snapshots/" + tag);
            assertThat(rows(cql)).as("the backup's rows; the later ones are in the snapshots").isEqualTo(ROWS_IN_BACKUP);

            second.stop();
            awaitDown(first, "127.0.0.2");
            Thread.sleep(1100); // a restore id is a second
            Cli.Result nodeDown = Cli.run("restore", "--only", "cassandra", "--replace", "--yes", "--config",
                    wire.writeSettings().toString());

            assertThat(nodeDown.exitCode()).as(nodeDown.out() + nodeDown.err()).isEqualTo(2);
            assertThat(nodeDown.out()).contains("127.0.0.2 DOWN");
            assertThat(nodeDown.err()).contains("but node 127.0.0.2 is down (nodetool status)", "nothing was changed");
            assertThat(allSnapshotTags(first)).as("no snapshot taken for the refused restore").containsExactly(tag);
            assertThat(rows(cql)).isEqualTo(ROWS_IN_BACKUP);
            System.out.printf("CLUSTER IT: whole test %.1f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            for (CassandraNode node : nodes) {
                node.close();
            }
        }
    }

    private static CqlSession session(CassandraNode node) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress(node.address, node.cqlPort))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build();
    }

    private static long rows(CqlSession cql) {
        return cql.execute("SELECT count(*) FROM brig.user").one().getLong(0);
    }

    private static String tableDir(CassandraNode node) throws Exception {
        try (var dirs = Files.list(node.dataDir.resolve("brig"))) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("user-")).findFirst().orElseThrow();
        }
    }

    private static List<String> allSnapshotTags(CassandraNode node) throws Exception {
        List<String> tags = new ArrayList<>();
        try (var dirs = Files.list(node.dataDir.resolve("brig").resolve(tableDir(node)).resolve("snapshots"))) {
            // TRUNCATE's own auto_snapshot (truncated-...) aside
            dirs.map(p -> p.getFileName().toString()).filter(t -> t.startsWith("before-restore-")).forEach(tags::add);
        }
        return tags;
    }

    private static void awaitDown(CassandraNode node, String address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (node.nodetool("status").lines().noneMatch(l -> l.startsWith("DN") && l.contains(address))) {
            assertThat(System.nanoTime()).as("the cluster did not see " + address + " down").isLessThan(deadline);
            Thread.sleep(1000);
        }
    }
}
