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

    @Test
    void backsUpThisRunsSnapshotOfEveryTableWithTheKeyspaceSchemaAndAlwaysClearsItAndTheBackupRestores() throws Exception {
        long started = System.nanoTime();
        try (CassandraNode node = CassandraNode.start(tmp.resolve("cassandra"));
             SshFixture ssh = SshFixture.startWithoutRootFileAccess(tmp.resolve("ssh"));
             TestInstallation wire = TestInstallation.create(tmp.resolve("backup-host"), ssh, "unused")) {
            System.out.printf("CASSANDRA IT: node up after %.1f s%n", (System.nanoTime() - started) / 1e9);
            List<String> tables = loadWireLikeData(node);
            node.nodetool("snapshot", "-t", "older-manual", "brig");
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

            Path extracted = Trees.extract(wire.part(record, data), tmp.resolve("restored"));
            List<String> archived = files(extracted);
            for (String table : tables) {
                String dir = table.replace('.', '/') + "-[0-9a-f]{32}/snapshots/" + runId + "/";
                assertThat(archived).as(table).anyMatch(f -> f.matches(dir + "schema\\.cql"))
                        .anyMatch(f -> f.matches(dir + "manifest\\.json"))
                        .anyMatch(f -> f.matches(dir + ".+-Data\\.db"));
            }
            assertThat(archived).allMatch(f -> f.matches("(brig|galley)/[a-z_]+-[0-9a-f]{32}/snapshots/" + runId + "/.+"));

            String cql = Files.readString(wire.part(record, schema));
            assertThat(cql).contains("CREATE KEYSPACE brig WITH replication = { 'class' : 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1' }")
                    .contains("CREATE KEYSPACE galley WITH replication = { 'class' : 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'datacenter1': '1' }")
                    .contains("CREATE TABLE brig.user (", "CREATE TABLE galley.member (", "CREATE TYPE galley.permissions (")
                    .doesNotContain("system_auth");
            assertThat(node.snapshotDirs(runId)).as("this run's snapshot is cleared").isEmpty();
            assertThat(node.snapshotDirs("older-manual")).as("an older snapshot is left alone").isNotEmpty();

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

            long restoreStarted = System.nanoTime();
            restoreAsTheRunbookSays(node, cql, extracted, runId);
            System.out.printf("CASSANDRA IT: runbook restore took %.1f s%n", (System.nanoTime() - restoreStarted) / 1e9);
            try (CqlSession cqlSession = session(node)) {
                assertThat(count(cqlSession, "brig.user")).isEqualTo(USERS);
                assertThat(count(cqlSession, "brig.user_handle")).isEqualTo(USERS);
                assertThat(count(cqlSession, "galley.conversation")).isEqualTo(CONVERSATIONS);
                assertThat(count(cqlSession, "galley.member")).isEqualTo(CONVERSATIONS * 3L);
                UUID id = cqlSession.execute("SELECT user FROM brig.user_handle WHERE handle = 'user42'").one().getUuid(0);
                assertThat(cqlSession.execute("SELECT name, email FROM brig.user WHERE id = ?", id).one().getFormattedContents())
                        .contains("User 42", "user42@example.com");
            }
            System.out.printf("CASSANDRA IT: %d tables, %d users, %d conversations; whole test %.1f s%n",
                    tables.size(), USERS, CONVERSATIONS, (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * README's restore runbook for Cassandra, on a node that lost the keyspaces: the backup's schema file run as
     * {@code cqlsh -f} would, then {@code sstableloader} on each table's snapshot, staged as {@code <ks>/<table>}.
     */
    private void restoreAsTheRunbookSays(CassandraNode node, String schemaCql, Path extracted, String runId)
            throws Exception {
        try (CqlSession cql = session(node)) {
            cql.execute("DROP KEYSPACE brig");
            cql.execute("DROP KEYSPACE galley");
            assertThat(cql.getMetadata().getKeyspace("brig")).isEmpty();
            for (String statement : schemaCql.split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    cql.execute(statement);
                }
            }
        }
        try (Stream<Path> snapshots = Files.walk(extracted, 4)) {
            for (Path snapshot : snapshots.filter(p -> p.getFileName().toString().equals(runId)).toList()) {
                Path tableDir = snapshot.getParent().getParent();
                String table = tableDir.getFileName().toString().replaceFirst("-[0-9a-f]{32}$", "");
                Path staged = tmp.resolve("load").resolve(tableDir.getParent().getFileName()).resolve(table);
                Files.createDirectories(staged);
                try (Stream<Path> files = Files.list(snapshot)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, staged.resolve(file.getFileName()));
                    }
                }
                node.sstableloader(staged);
            }
        }
    }

    private static long count(CqlSession cql, String table) {
        return cql.execute("SELECT count(*) FROM " + table).one().getLong(0);
    }

    private static CqlSession session(CassandraNode node) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort))
                .withLocalDatacenter("datacenter1")
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
