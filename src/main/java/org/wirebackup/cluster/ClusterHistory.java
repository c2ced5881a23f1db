package org.wirebackup.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of every instance of the cluster (runs and drills), in PostgreSQL's {@code wire_backup_records}: the
 * JSON each instance also writes to its own BACKUP_DIR, with its status and times, keyed by installation, kind and id.
 */
public final class ClusterHistory {

    public static final String RUN = "run";
    public static final String DRILL = "drill";

    /** A stored record: which instance wrote it, and its JSON. */
    public record Entry(String id, String instance, String status, String json) {
    }

    private final ClusterDatabase database;
    private final String installation;
    private final String instance;

    public ClusterHistory(ClusterDatabase database, String installation, String instance) {
        this.database = database;
        this.installation = installation;
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    /** Writes (or replaces) one record as this instance's. */
    public void put(String kind, String id, String status, String startedAt, String finishedAt, String json)
            throws SQLException {
        put(kind, id, instance, status, startedAt, finishedAt, json);
    }

    /** Writes (or replaces) one record, keeping the instance that made it. */
    public void put(String kind, String id, String writer, String status, String startedAt, String finishedAt,
                    String json) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement("INSERT INTO wire_backup_records"
                     + " (installation, kind, id, instance, status, started_at, finished_at, record)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB)) ON CONFLICT (installation, kind, id) DO UPDATE"
                     + " SET instance = EXCLUDED.instance, status = EXCLUDED.status, started_at = EXCLUDED.started_at,"
                     + " finished_at = EXCLUDED.finished_at, record = EXCLUDED.record")) {
            statement.setString(1, installation);
            statement.setString(2, kind);
            statement.setString(3, id);
            statement.setString(4, writer);
            statement.setString(5, status);
            statement.setTimestamp(6, Timestamp.from(Instant.parse(startedAt)));
            if (finishedAt == null) {
                statement.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setTimestamp(7, Timestamp.from(Instant.parse(finishedAt)));
            }
            statement.setString(8, json);
            statement.executeUpdate();
        }
    }

    /**
     * Applies retention to the shared history as to BACKUP_DIR: the records (runs and drills) older than the oldest
     * run either rule keeps go (the newest {@code keep} good runs, and every record younger than {@code maxAge});
     * the newest good run and anything still running stay.
     *
     * @return how many records went
     */
    public int prune(int keep, java.time.Duration maxAge) throws SQLException {
        if (keep == 0 && maxAge == null) {
            return 0;
        }
        try (Connection connection = database.connect()) {
            List<Instant> good = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT started_at FROM wire_backup_records"
                    + " WHERE installation = ? AND kind = 'run' AND status IN ('ok', 'partial') ORDER BY started_at"
                    + " DESC")) {
                statement.setString(1, installation);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        good.add(rs.getTimestamp(1).toInstant());
                    }
                }
            }
            if (good.isEmpty() || (keep > 0 && good.size() <= keep && maxAge == null)) {
                return 0;
            }
            // kept: the newest good run, the newest `keep` good runs, everything younger than maxAge
            Instant cutoff = good.get(0);
            if (keep > 0) {
                cutoff = good.size() <= keep ? Instant.MIN : min(cutoff, good.get(keep - 1));
            }
            if (maxAge != null) {
                cutoff = min(cutoff, Instant.now().minus(maxAge));
            }
            if (cutoff.equals(Instant.MIN)) {
                return 0;
            }
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM wire_backup_records"
                    + " WHERE installation = ? AND status <> 'running' AND started_at < ?")) {
                statement.setString(1, installation);
                statement.setTimestamp(2, Timestamp.from(cutoff));
                return statement.executeUpdate();
            }
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The newest id of a kind (ids are UTC times), or empty. */
    public java.util.Optional<String> newestId(String kind) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT max(id) FROM wire_backup_records"
                     + " WHERE installation = ? AND kind = ?")) {
            statement.setString(1, installation);
            statement.setString(2, kind);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    /** Every record of a kind, oldest first (ids are UTC times). */
    public List<Entry> all(String kind) throws SQLException {
        return select(kind, "");
    }

    /** The records of a kind still marked running. */
    public List<Entry> running(String kind) throws SQLException {
        return select(kind, " AND status = 'running'");
    }

    private List<Entry> select(String kind, String condition) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT id, instance, status, record::text"
                     + " FROM wire_backup_records WHERE installation = ? AND kind = ?" + condition + " ORDER BY id")) {
            statement.setString(1, installation);
            statement.setString(2, kind);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return entries;
        }
    }
}
