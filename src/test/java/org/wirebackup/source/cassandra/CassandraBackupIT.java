package org.wirebackup.source.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.CassandraNode;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * The Cassandra capture against a real single-node Cassandra 5.0.4 with Wire-like keyspaces, through the embedded SSH
 * server (whose commands, when CI runs as root, cannot read past file permissions, as a backup user could not).
 */
class CassandraBackupIT {

    private static final int USERS = 3000;
    private static final int CONVERSATIONS = 1000;

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void noS3Credentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void backsUpThisRunsSnapshotOfEveryTableWithTheKeyspaceSchemaAndAlwaysClearsItAndTheBackupRestores() throws Exception {
        long started = System.nanoTime();
        try (CassandraNode node = CassandraNode.start(tmp.resolve("cassandra"));
             SshFixture ssh = SshFixture.startWithoutRootFileAccess(tmp.resolve("ssh"));
             TestInstallation wire = TestInstallation.create(tmp.resolve("backup-host"), ssh, "unused");
             org.wirebackup.testing.S3Server s3 = org.wirebackup.testing.S3Server.start(tmp.resolve("s3"), "wire-backups")) {
            System.out.printf("CASSANDRA IT: node up after %.1f s%n", (System.nanoTime() - started) / 1e9);
            List<String> tables = loadWireLikeData(node);
            Map<String, String> before = digests(node, tables);
            node.nodetool("snapshot", "-t", "older-manual", "brig");
            // an SSH backup host and an S3 bucket: the drills fetch the copy from each
            org.wirebackup.testing.DestinationFiles.scp(wire.routesDir, "offsite", ssh.hostSpec(), tmp.resolve("offsite"), 3);
            org.wirebackup.testing.DestinationFiles.s3(wire.routesDir, "offsite-s3", s3.endpoint(), Map.of());
            System.setProperty("aws.accessKeyId", s3.identity());
            System.setProperty("aws.secretAccessKey", s3.credential());
            wire.set("backup.wire-server.host", "")
                    .set("backup.cassandra.hosts", ssh.hostSpec())
                    .set("backup.cassandra.data-dir", node.dataDir.toString())
                    .set("backup.cassandra.nodetool", node.nodetool.toString())
                    .set("backup.cassandra.config-file", node.configFile.toString())
                    .set("backup.cassandra.cql-address", "127.0.0.1")
                    .set("backup.cassandra.cql-port", String.valueOf(node.cqlPort));

            long backupStarted = System.nanoTime();
            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());
            System.out.printf("CASSANDRA IT: backup took %.1f s%n", (System.nanoTime() - backupStarted) / 1e9);

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            String runId = record.get("runId").asText();
            JsonNode data = source(record, "cassandra");
            JsonNode schema = source(record, "cassandra-schema");
            assertThat(data.get("status").asText()).isEqualTo("ok");
            assertThat(data.get("warnings").toString()).contains("auto_snapshot: true");
            // each table's partitions at capture, what a restore or drill must reach (tablestats' estimate)
            System.out.println("CASSANDRA IT: partitions at capture " + data.get("tablePartitions"));
            assertThat(data.get("tablePartitions").get("brig.user").asLong()).isBetween(USERS * 95L / 100, USERS * 105L / 100);
            assertThat(data.get("tablePartitions").size()).isEqualTo(tables.size());

            Path extracted = Trees.extract(wire.part(record, data), tmp.resolve("restored"));
            List<String> archived = files(extracted);
            for (String table : tables) {
                String dir = table.replace('.', '/') + "-[0-9a-f]{32}/snapshots/wire-backup-" + runId + "/";
                assertThat(archived).as(table).anyMatch(f -> f.matches(dir + "schema\\.cql"))
                        .anyMatch(f -> f.matches(dir + "manifest\\.json"))
                        .anyMatch(f -> f.matches(dir + ".+-Data\\.db"));
            }
            assertThat(archived).allMatch(f -> f.matches("(brig|galley)/[a-z_]+-[0-9a-f]{32}/snapshots/wire-backup-" + runId + "/.+"));

            String cql = Files.readString(wire.part(record, schema));
            assertThat(cql).contains("CREATE KEYSPACE brig WITH replication = { 'class' : 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1' }")
                    .contains("CREATE KEYSPACE galley WITH replication = { 'class' : 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'datacenter1': '1' }")
                    .contains("CREATE TABLE brig.user (", "CREATE TABLE galley.member (", "CREATE TYPE galley.permissions (")
                    .doesNotContain("system_auth");
            assertThat(node.snapshotDirs(runId)).as("this run's snapshot is cleared").isEmpty();
            assertThat(node.snapshotDirs("older-manual")).as("an older snapshot is left alone").isNotEmpty();

            drillsIntoAScratchCassandra(wire, ssh, node, tables, before);

            // a tar that fails half-way (an SSTable the backup user cannot read): the snapshot is still cleared
            Path sstable = anyDataFile(node.dataDir.resolve("galley"));
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(sstable);
            Files.setPosixFilePermissions(sstable, PosixFilePermissions.fromString("---------"));
            try {
                Files.walk(wire.backupDir.resolve("runs")).sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
                Cli.Result failed = Cli.run("backup", "--config", wire.writeSettings().toString());

                assertThat(failed.exitCode()).isEqualTo(1);
                JsonNode failedRecord = wire.onlyRunRecord();
                JsonNode failedData = source(failedRecord, "cassandra");
                assertThat(failedData.get("error").get("step").asText()).isEqualTo("capture");
                assertThat(failedData.get("stderrTail").asText()).contains("Permission denied", "tar failed");
                assertThat(node.snapshotDirs(failedRecord.get("runId").asText())).as("cleared after a failed tar").isEmpty();
            } finally {
                Files.setPosixFilePermissions(sstable, mode);
            }

            restoresEveryRowWithTheRestoreCommand(node, wire, tables, before, runId);
            System.out.printf("CASSANDRA IT: %d tables, %d users, %d conversations; whole test %.1f s%n",
                    tables.size(), USERS, CONVERSATIONS, (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * {@code restore} on the node: refused while the keyspaces hold data; after they are dropped, every row back (full
     * table digests equal); and with {@code --replace} over damaged tables, the damage snapshotted and the backup's
     * rows back again.
     */
    private void restoresEveryRowWithTheRestoreCommand(CassandraNode node, TestInstallation wire, List<String> tables,
                                                       Map<String, String> before, String runId) throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        Path settings = wire.set("restore.cassandra.sstableloader", node.sstableloader + " -sp " + node.storagePort)
                .set("restore.cassandra.staging-dir", staging.toString()).writeSettings();
        String fullBackup = wire.backupDir.resolve("full-backup-" + runId + ".tar").toString();

        Cli.Result plan = Cli.run("restore", fullBackup, "--plan", "--config", settings.toString());
        Cli.Result refused = Cli.run("restore", fullBackup, "--yes", "--config", settings.toString());

        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("cassandra-schema.cql", "keyspaces: brig HOLDS DATA (user, user_handle)",
                "galley HOLDS DATA (conversation, member)", "loaded with sstableloader");
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("keyspace brig (user, user_handle), galley (conversation, member) holds data:"
                + " pass --replace", "nothing was changed");
        assertThat(digests(node, tables)).isEqualTo(before);

        try (CqlSession cql = session(node)) {
            cql.execute("DROP KEYSPACE brig");
            cql.execute("DROP KEYSPACE galley");
        }
        // a loader that loads nothing: the rows fall short of the capture's figures, so the restore says so
        Cli.Result nothingLoaded = Cli.run("restore", fullBackup, "--yes", "--config", wire.set(
                "restore.cassandra.sstableloader", "true").writeSettings().toString());
        wire.set("restore.cassandra.sstableloader", node.sstableloader + " -sp " + node.storagePort).writeSettings();
        assertThat(nothingLoaded.exitCode()).as(nothingLoaded.out() + nothingLoaded.err()).isEqualTo(3);
        assertThat(nothingLoaded.out()).contains("FAILED  cassandra-", "tables fall short of the capture",
                "brig.user: 0 rows after the load, but the backed-up node counted about");
        Thread.sleep(1100); // a restore id is a second

        long restoreStarted = System.nanoTime();
        Cli.Result restored = Cli.run("restore", fullBackup, "--yes", "--config", settings.toString());
        double seconds = (System.nanoTime() - restoreStarted) / 1e9;

        assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
        assertThat(digests(node, tables)).as("every row of every table back").isEqualTo(before);
        assertThat(restored.out()).contains("rows now in the restored tables", "ok      cassandra-schema.cql",
                tables.size() + " tables loaded with sstableloader").containsPattern("brig\\.user +" + USERS);
        JsonNode record = lastRestoreRecord(wire);
        assertThat(record.get("status").asText()).isEqualTo("ok");
        assertThat(record.get("cassandraRows").get("galley.member").asLong()).isEqualTo(CONVERSATIONS * 3L);
        try (Stream<Path> left = Files.list(staging)) {
            assertThat(left).as("the staging is removed").isEmpty();
        }
        System.out.printf("CASSANDRA IT: restore of %d tables (dropped keyspaces) took %.1f s; RTO in restore.json: %.1f s%n",
                tables.size(), seconds, record.get("durationMillis").asLong() / 1000.0);

        // damaged since: a row removed, a row changed, a row added; --replace keeps the damage as a snapshot
        try (CqlSession cql = session(node)) {
            UUID id = cql.execute("SELECT user FROM brig.user_handle WHERE handle = 'user42'").one().getUuid(0);
            cql.execute("DELETE FROM brig.user_handle WHERE handle = 'user7'");
            cql.execute("UPDATE brig.user SET name = 'Mallory' WHERE id = ?", id);
            cql.execute("INSERT INTO galley.conversation (conv, name, type) VALUES (?, 'not in the backup', 0)",
                    UUID.randomUUID());
        }
        assertThat(digests(node, tables)).isNotEqualTo(before);
        Cli.Result replaced = Cli.run("restore", fullBackup, "--only", "cassandra", "--replace", "--yes", "--config",
                settings.toString());

        assertThat(replaced.exitCode()).as(replaced.out() + replaced.err()).isZero();
        assertThat(digests(node, tables)).isEqualTo(before);
        assertThat(replaced.out()).contains("what was there is kept: snapshot before-restore-" + runId);
        assertThat(node.snapshotDirs("before-restore-" + runId)).as("the damaged tables are kept as a snapshot")
                .hasSize(tables.size());

        // the same backup restored again: the first restore's snapshot is kept, this one takes the next tag
        Thread.sleep(1100); // a restore id is a second
        Cli.Result again = Cli.run("restore", fullBackup, "--only", "cassandra", "--replace", "--yes", "--config",
                settings.toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("what was there is kept: snapshot before-restore-" + runId + "-2");
        assertThat(node.snapshotDirs("before-restore-" + runId)).hasSize(tables.size());
        assertThat(digests(node, tables)).isEqualTo(before);
    }

    /**
     * {@code drill} with a second, scratch Cassandra (its own node, behind its own SSH host): the backup's schema and
     * tables loaded there with the restore's code, every row counted, the keyspaces dropped after; production
     * untouched. Then with the scratch Cassandra down: the drill fails, with an alert, and leaves nothing behind.
     */
    private void drillsIntoAScratchCassandra(TestInstallation wire, SshFixture ssh, CassandraNode production,
                                             List<String> tables, Map<String, String> before) throws Exception {
        // the scratch cluster has one node in a datacenter of its own: production's galley (NetworkTopologyStrategy,
        // datacenter1) is loaded there with its replication fitted to it
        try (CassandraNode scratch = CassandraNode.start(tmp.resolve("scratch-cassandra"), "drill-dc");
             org.wirebackup.demo.EmbeddedSshServer scratchHost = org.wirebackup.demo.EmbeddedSshServer.start(0,
                     org.wirebackup.demo.KeyMaterial.generateEcdsa(), java.util.Set.of(ssh.clientKey.getPublic()),
                     tmp, List.of())) {
            Files.writeString(ssh.knownHosts, scratchHost.knownHostsLine() + "\n", java.nio.file.StandardOpenOption.APPEND);
            String scratchSpec = ssh.target().user() + "@127.0.0.1:" + scratchHost.port();
            Path scratchDir = Files.createDirectories(tmp.resolve("drill-scratch"));
            Path settings = wire.set("backup.drill.from", "offsite").set("backup.drill.host", scratchSpec).set("backup.drill.dir", scratchDir.toString())
                    .set("backup.drill.cassandra.hosts", scratchSpec)
                    .set("backup.drill.cassandra.cql-port", String.valueOf(scratch.cqlPort))
                    .set("backup.drill.cassandra.cql-address", "127.0.0.1")
                    .set("backup.drill.cassandra.sstableloader", scratch.sstableloader + " -sp " + scratch.storagePort)
                    .writeSettings();

            // the first drill, with a loader that loads nothing: there is no earlier drill to compare with, but the
            // tables fall short of what the backup captured, so it fails rather than becoming the baseline
            Cli.Result loadsNothing = Cli.run("drill", "--config", wire.set("backup.drill.cassandra.sstableloader",
                    "true").writeSettings().toString());
            wire.set("backup.drill.cassandra.sstableloader", scratch.sstableloader + " -sp " + scratch.storagePort)
                    .writeSettings();
            assertThat(loadsNothing.exitCode()).as(loadsNothing.out() + loadsNothing.err()).isEqualTo(1);
            assertThat(loadsNothing.out()).contains("FAILED  cassandra (scratch cluster)",
                    "tables fall short of the capture", "brig.user: 0 rows after the load",
                    "backup.drill.cassandra.max-row-drop 0.5");
            Thread.sleep(1100); // a drill id is a second

            long started = System.nanoTime();
            Cli.Result drill;
            try (org.wirebackup.testing.LogCapture log = org.wirebackup.testing.LogCapture.of(
                    "org.wirebackup.restore.CassandraRestore")) {
                drill = Cli.run("drill", "--config", settings.toString());
                assertThat(log.text()).contains("Drill: keyspace galley: replication datacenter1 1 becomes drill-dc 1"
                        + " on the scratch cluster (1 node in drill-dc)").doesNotContain("keyspace brig:");
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
            assertThat(drill.out()).contains("(copy from offsite): OK", "ok      cassandra (scratch cluster)",
                            "rows in the scratch Cassandra:")
                    .containsPattern("brig\\.user +" + USERS);
            JsonNode record = lastDrillRecord(wire);
            assertThat(record.get("cassandraRows").get("brig.user").asLong()).isEqualTo(USERS);
            assertThat(record.get("cassandraRows").get("brig.user_handle").asLong()).isEqualTo(USERS);
            assertThat(record.get("cassandraRows").get("galley.conversation").asLong()).isEqualTo(CONVERSATIONS);
            assertThat(record.get("cassandraRows").get("galley.member").asLong()).isEqualTo(CONVERSATIONS * 3L);
            try (CqlSession cql = session(scratch)) {
                assertThat(cql.getMetadata().getKeyspace("brig")).as("the drill's keyspaces are dropped").isEmpty();
                assertThat(cql.getMetadata().getKeyspace("galley")).isEmpty();
            }
            assertThat(digests(production, tables)).as("production is untouched").isEqualTo(before);
            try (Stream<Path> left = Files.list(scratchDir)) {
                assertThat(left).isEmpty();
            }
            System.out.printf("CASSANDRA IT: drill into a scratch Cassandra (fetched from the SSH backup host, verified,"
                    + " files proven, %d tables"
                    + " loaded and counted) took %.1f s; RTO in drill.json: %.1f s%n", tables.size(), seconds,
                    record.get("durationMillis").asLong() / 1000.0);

            // the same from the S3 bucket; the rows are compared with the first drill's, and equal
            Path fromS3 = wire.set("backup.drill.from", "offsite-s3").writeSettings();
            Cli.Result drillS3 = Cli.run("drill", "--config", fromS3.toString());
            assertThat(drillS3.exitCode()).as(drillS3.out() + drillS3.err()).isZero();
            assertThat(drillS3.out()).contains("(copy from offsite-s3): OK", "ok      cassandra (scratch cluster)")
                    .containsPattern("galley\\.member +" + CONVERSATIONS * 3 + "  \\(last good drill: "
                            + CONVERSATIONS * 3 + "\\)");
            assertThat(digests(production, tables)).isEqualTo(before);

            scratch.close(); // the scratch Cassandra is down
            try (org.wirebackup.testing.LogCapture alerts = org.wirebackup.testing.LogCapture.alerts()) {
                Cli.Result down = Cli.run("drill", "--config", settings.toString());

                assertThat(down.exitCode()).isEqualTo(1);
                assertThat(down.out()).contains("FAILED  cassandra (scratch cluster)",
                        "the scratch Cassandra cannot be read over CQL");
                assertThat(alerts.text()).contains("step=drill", "cassandra (scratch cluster)");
            }
            try (Stream<Path> left = Files.list(scratchDir)) {
                assertThat(left).isEmpty();
            }
            wire.set("backup.drill.from", "local").set("backup.drill.host", "").set("backup.drill.dir", "").set("backup.drill.cassandra.hosts", "")
                    .set("backup.drill.cassandra.cql-port", "").set("backup.drill.cassandra.cql-address", "")
                    .set("backup.drill.cassandra.sstableloader", "");
        }
    }

    private static JsonNode lastDrillRecord(TestInstallation wire) throws Exception {
        try (Stream<Path> drills = Files.list(wire.backupDir.resolve("drills"))) {
            List<Path> dirs = drills.sorted().toList();
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dirs.get(dirs.size() - 1).resolve("drill.json").toFile());
        }
    }

    /** Per table, a SHA-256 over every row's every column, as bytes, in a stable order. */
    private static Map<String, String> digests(CassandraNode node, List<String> tables) throws Exception {
        Map<String, String> digests = new TreeMap<>();
        try (CqlSession cql = session(node)) {
            for (String table : tables) {
                List<String> rows = new ArrayList<>();
                for (com.datastax.oss.driver.api.core.cql.Row row : cql.execute("SELECT * FROM " + table)) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < row.getColumnDefinitions().size(); i++) {
                        java.nio.ByteBuffer bytes = row.getBytesUnsafe(i);
                        line.append(bytes == null ? "null" : java.util.HexFormat.of().formatHex(
                                com.datastax.oss.protocol.internal.util.Bytes.getArray(bytes))).append('|');
                    }
                    rows.add(line.toString());
                }
                java.util.Collections.sort(rows);
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                rows.forEach(r -> sha.update((r + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                digests.put(table, rows.size() + " rows " + java.util.HexFormat.of().formatHex(sha.digest()));
            }
        }
        return digests;
    }

    private static JsonNode lastRestoreRecord(TestInstallation wire) throws Exception {
        try (Stream<Path> restores = Files.list(wire.backupDir.resolve("restores"))) {
            List<Path> dirs = restores.sorted().toList();
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dirs.get(dirs.size() - 1).resolve("restore.json").toFile());
        }
    }

    private static CqlSession session(CassandraNode node) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort))
                .withLocalDatacenter(node.datacenter)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build();
    }

    private static List<String> loadWireLikeData(CassandraNode node) throws Exception {
        try (CqlSession cql = session(node)) {
            cql.execute("CREATE KEYSPACE brig WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE KEYSPACE galley WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}");
            cql.execute("CREATE TABLE brig.user (id uuid PRIMARY KEY, name text, handle text, email text, activated boolean)");
            cql.execute("CREATE TABLE brig.user_handle (handle text PRIMARY KEY, user uuid)");
            cql.execute("CREATE TYPE galley.permissions (self bigint, copy bigint)");
            cql.execute("CREATE TABLE galley.conversation (conv uuid PRIMARY KEY, name text, creator uuid, type int)");
            cql.execute("CREATE TABLE galley.member (conv uuid, user uuid, status int, perms frozen<permissions>, PRIMARY KEY (conv, user))");
            PreparedStatement user = cql.prepare("INSERT INTO brig.user (id, name, handle, email, activated) VALUES (?, ?, ?, ?, true)");
            PreparedStatement handle = cql.prepare("INSERT INTO brig.user_handle (handle, user) VALUES (?, ?)");
            PreparedStatement conversation = cql.prepare("INSERT INTO galley.conversation (conv, name, creator, type) VALUES (?, ?, ?, 0)");
            PreparedStatement member = cql.prepare("INSERT INTO galley.member (conv, user, status) VALUES (?, ?, 0)");
            List<UUID> users = new ArrayList<>();
            Writes writes = new Writes();
            for (int i = 0; i < USERS; i++) {
                UUID id = UUID.randomUUID();
                users.add(id);
                writes.execute(cql, user.bind(id, "User " + i, "user" + i, "user" + i + "@example.com"));
                writes.execute(cql, handle.bind("user" + i, id));
            }
            for (int i = 0; i < CONVERSATIONS; i++) {
                UUID conv = UUID.randomUUID();
                writes.execute(cql, conversation.bind(conv, "Conversation " + i, users.get(i)));
                for (int m = 0; m < 3; m++) {
                    writes.execute(cql, member.bind(conv, users.get((i * 3 + m) % USERS)));
                }
            }
            writes.awaitAll();
        }
        return List.of("brig.user", "brig.user_handle", "galley.conversation", "galley.member");
    }

    /** Async writes, at most 256 in flight (one connection takes 1024). */
    private static final class Writes {
        private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(256);
        private final List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();

        void execute(CqlSession cql, com.datastax.oss.driver.api.core.cql.Statement<?> statement)
                throws InterruptedException {
            inFlight.acquire();
            CompletionStage<?> write = cql.executeAsync(statement);
            all.add(write.toCompletableFuture().whenComplete((r, e) -> inFlight.release()));
        }

        void awaitAll() throws Exception {
            for (java.util.concurrent.CompletableFuture<?> write : all) {
                write.get();
            }
        }
    }

    private static JsonNode source(JsonNode record, String kind) {
        for (JsonNode source : record.get("sources")) {
            if (source.get("kind").asText().equals(kind)) {
                return source;
            }
        }
        throw new AssertionError("no " + kind + " source in " + record);
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static Path anyDataFile(Path keyspaceDir) throws Exception {
        try (Stream<Path> walk = Files.walk(keyspaceDir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith("-Data.db"))
                    .filter(p -> !p.toString().contains("/snapshots/")).findFirst().orElseThrow();
        }
    }
}
