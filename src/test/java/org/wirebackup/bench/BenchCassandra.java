package org.wirebackup.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import org.wirebackup.testing.CassandraNode;

/**
 * Run by bench/full-run.sh and bench/cassandra-restore.sh (not a test): the integration tests' real Cassandra 5.0.4
 * with Wire's keyspaces holding some rows, flushed to SSTables. Writes the node's facts to INFO_FILE as shell
 * assignments, then keeps the node up until its standard input closes. Args: HOME INFO_FILE USERS [TABLES ROWS]: with
 * USERS, brig and galley hold that many users and their conversations; with TABLES and ROWS (USERS 0), brig, galley,
 * gundeck and spar hold TABLES tables between them (Wire has 102), ROWS rows each.
 */
public final class BenchCassandra {

    private BenchCassandra() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path info = Path.of(args[1]);
        int users = Integer.parseInt(args[2]);
        try (CassandraNode node = CassandraNode.start(home)) {
            if (args.length > 4) {
                loadTables(node, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            } else {
                load(node, users);
            }
            node.nodetool("flush");
            Files.writeString(info, String.join("\n",
                    "CASSANDRA_DATA=" + node.dataDir,
                    "CASSANDRA_NODETOOL=" + node.nodetool,
                    "CASSANDRA_SSTABLELOADER=" + node.sstableloader,
                    "CASSANDRA_CONFIG=" + node.configFile,
                    "CASSANDRA_CQL_PORT=" + node.cqlPort,
                    ""));
            while (System.in.read() >= 0) {
                // up until the script closes our input
            }
        }
    }

    private static CqlSession session(CassandraNode node) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMinutes(5)).build())
                .build();
    }

    /** Wire's four keyspaces with {@code tables} tables between them, {@code rows} rows each. */
    private static void loadTables(CassandraNode node, int tables, int rows) throws Exception {
        List<String> keyspaces = List.of("brig", "galley", "gundeck", "spar");
        try (CqlSession cql = session(node)) {
            for (String keyspace : keyspaces) {
                cql.execute("CREATE KEYSPACE " + keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            }
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                String table = keyspaces.get(t % keyspaces.size()) + ".table_" + t;
                cql.execute("CREATE TABLE " + table + " (id uuid, seq int, name text, payload text,"
                        + " PRIMARY KEY (id, seq))");
                PreparedStatement insert = cql.prepare("INSERT INTO " + table + " (id, seq, name, payload)"
                        + " VALUES (?, ?, ?, ?)");
                for (int r = 0; r < rows; r++) {
                    write(cql, inFlight, writes, insert.bind(UUID.randomUUID(), r, "row " + r, "x".repeat(r % 200)));
                }
            }
            for (CompletableFuture<?> write : writes) {
                write.get();
            }
        }
    }

    private static void load(CassandraNode node, int users) throws Exception {
        try (CqlSession cql = session(node)) {
            cql.execute("CREATE KEYSPACE brig WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE KEYSPACE galley WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE TABLE brig.user (id uuid PRIMARY KEY, name text, handle text, email text)");
            cql.execute("CREATE TABLE brig.user_handle (handle text PRIMARY KEY, user uuid)");
            cql.execute("CREATE TABLE galley.conversation (conv uuid PRIMARY KEY, name text, creator uuid)");
            cql.execute("CREATE TABLE galley.member (conv uuid, user uuid, status int, PRIMARY KEY (conv, user))");
            PreparedStatement user = cql.prepare("INSERT INTO brig.user (id, name, handle, email) VALUES (?, ?, ?, ?)");
            PreparedStatement handle = cql.prepare("INSERT INTO brig.user_handle (handle, user) VALUES (?, ?)");
            PreparedStatement conversation = cql.prepare("INSERT INTO galley.conversation (conv, name, creator) VALUES (?, ?, ?)");
            PreparedStatement member = cql.prepare("INSERT INTO galley.member (conv, user, status) VALUES (?, ?, 0)");
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<?>> writes = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                write(cql, inFlight, writes, user.bind(id, "User " + i, "user" + i, "user" + i + "@example.com"));
                write(cql, inFlight, writes, handle.bind("user" + i, id));
                if (i % 3 == 0) {
                    UUID conv = UUID.randomUUID();
                    write(cql, inFlight, writes, conversation.bind(conv, "Conversation " + i, id));
                    for (int m = 0; m < 3; m++) {
                        write(cql, inFlight, writes, member.bind(conv, ids.get((i + m) % ids.size())));
                    }
                }
            }
            for (CompletableFuture<?> write : writes) {
                write.get();
            }
        }
    }

    private static void write(CqlSession cql, Semaphore inFlight, List<CompletableFuture<?>> writes,
                              Statement<?> statement) throws InterruptedException {
        inFlight.acquire();
        writes.add(cql.executeAsync(statement).toCompletableFuture().whenComplete((r, e) -> inFlight.release()));
    }
}
