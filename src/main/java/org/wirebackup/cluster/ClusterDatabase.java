package org.wirebackup.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's PostgreSQL database: connections for the run lock and the history (Quartz keeps its own pool), and
 * the tables, created at first start when missing.
 */
public final class ClusterDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDatabase.class);
    private static final String QUARTZ_DDL = "/org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    /** Serialises the first start of several instances: only one creates the tables. */
    private static final long SCHEMA_LOCK = 0x77697265L;

    static final String HISTORY_DDL = "CREATE TABLE IF NOT EXISTS wire_backup_records ("
            + " installation VARCHAR(200) NOT NULL, kind VARCHAR(10) NOT NULL, id VARCHAR(40) NOT NULL,"
            + " instance VARCHAR(200) NOT NULL, status VARCHAR(20) NOT NULL, started_at TIMESTAMPTZ NOT NULL,"
            + " finished_at TIMESTAMPTZ NULL, record JSONB NOT NULL, PRIMARY KEY (installation, kind, id))";

    private final ClusterSettings settings;

    public ClusterDatabase(ClusterSettings settings) {
        this.settings = settings;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** A new connection; fails within a few seconds when the database cannot be reached. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "wire-backup");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    /**
     * Creates Quartz's tables (from the DDL in Quartz's jar, without its {@code DROP TABLE} lines) and the history
     * table when they are missing, under a transaction-scoped advisory lock so that instances starting together do
     * not race. Tables that exist are never touched.
     */
    public void prepare() throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                boolean quartzThere;
                try (ResultSet rs = statement.executeQuery("SELECT to_regclass('qrtz_locks') IS NOT NULL")) {
                    rs.next();
                    quartzThere = rs.getBoolean(1);
                }
                if (!quartzThere) {
                    LOG.info("Cluster database {}: creating Quartz's tables", settings.jdbcUrl());
                    for (String ddl : quartzTables()) {
                        statement.execute(ddl);
                    }
                }
                statement.execute(HISTORY_DDL);
            }
            connection.commit();
        }
    }

    /** Quartz's own PostgreSQL DDL, statement by statement, without its DROPs and COMMIT. */
    static List<String> quartzTables() {
        String script;
        try (InputStream in = ClusterDatabase.class.getResourceAsStream(QUARTZ_DDL)) {
            if (in == null) {
                throw new IllegalStateException(QUARTZ_DDL + " is missing from Quartz's jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + QUARTZ_DDL, e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : withoutComments.toString().split(";")) {
            String sql = statement.trim();
            String upper = sql.toUpperCase(java.util.Locale.ROOT);
            if (!sql.isEmpty() && !upper.startsWith("DROP ") && !upper.equals("COMMIT")) {
                statements.add(sql);
            }
        }
        return statements;
    }

    /** The advisory-lock key of one installation: the first 8 bytes of a SHA-256 of its id. */
    public static long lockKey(String installationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("wire-backup run " + installationId).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
