package org.wirebackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.PostgresServer;
import org.wirebackup.testing.TestInstallation;

/** The cluster's shared records are pruned with the same retention as BACKUP_DIR: the table no longer only grows. */
class ClusterHistoryRetentionIT {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void theSharedHistoryKeepsWhatRetentionKeeps() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            ClusterDatabase database = new ClusterDatabase(new ClusterSettings(postgres.jdbcUrl(),
                    PostgresServer.USER, PostgresServer.PASSWORD, Duration.ofSeconds(1)));
            database.prepare();
            ClusterHistory history = new ClusterHistory(database, "retention-test", "vm/1");
            ClusterHistory other = new ClusterHistory(database, "another-installation", "vm/2");
            Instant now = Instant.now();
            put(history, "run", "r1", "ok", now.minus(Duration.ofDays(5)));
            put(history, "drill", "d1", "ok", now.minus(Duration.ofDays(5)).plusSeconds(60));
            put(history, "run", "r2", "failed", now.minus(Duration.ofDays(4)));
            put(history, "run", "r3", "partial", now.minus(Duration.ofDays(3)));
            put(history, "run", "r4", "ok", now.minus(Duration.ofDays(2)));
            put(history, "run", "r5", "failed", now.minus(Duration.ofDays(1)));
            put(history, "run", "r0", "running", now.minus(Duration.ofDays(6))); // never closed yet: stays
            put(other, "run", "x1", "ok", now.minus(Duration.ofDays(9)));

            assertThat(history.prune(0, null)).as("no rule, nothing goes").isZero();
            assertThat(history.prune(3, null)).as("3 good runs, keep 3").isZero();

            assertThat(history.prune(2, null)).isEqualTo(3);
            assertThat(ids(postgres, "retention-test")).containsExactly("r0", "r3", "r4", "r5");

            assertThat(history.prune(1, Duration.ofDays(3).plusHours(1))).as("max-age keeps r3 too").isZero();
            assertThat(history.prune(1, Duration.ofHours(1))).isEqualTo(1);
            assertThat(ids(postgres, "retention-test")).containsExactly("r0", "r4", "r5");
            assertThat(ids(postgres, "another-installation")).as("another installation's records").containsExactly("x1");
        }
    }

    /** Through the command line: three backups with keep 1 leave one run in the shared table. */
    @Test
    void aBackupPrunesTheSharedHistory() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            wire.set("backup.installation-id", "pruned").set("backup.retention.keep", "1")
                    .set("backup.cluster.jdbc-url", postgres.jdbcUrl())
                    .set("backup.cluster.user", PostgresServer.USER);
            System.setProperty("backup.cluster.password", PostgresServer.PASSWORD);
            try {
                for (int i = 0; i < 3; i++) {
                    Thread.sleep(1100);
                    Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());
                    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
                }
            } finally {
                System.clearProperty("backup.cluster.password");
            }
            assertThat(ids(postgres, "pruned")).hasSize(1);
        }
    }

    private static void put(ClusterHistory history, String kind, String id, String status, Instant started)
            throws Exception {
        history.put(kind, id, status, started.toString(), status.equals("running") ? null
                : started.plusSeconds(30).toString(), "{}");
    }

    private static List<String> ids(PostgresServer postgres, String installation) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id FROM wire_backup_records WHERE installation = '"
                     + installation + "' ORDER BY id")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }
}
