package org.wirebackup.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The installation's run lock across the cluster: a PostgreSQL session-level advisory lock on a connection of its own,
 * held for the whole run or drill. PostgreSQL releases it when that session ends (the instance killed, its host or
 * network lost), so a dead holder never blocks the cluster, and a live one can tell that it lost it.
 */
public final class ClusterLock implements AutoCloseable {

    private final Connection connection;
    private final long key;

    private ClusterLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock, or empty when another instance holds it; throws when the database cannot be reached. */
    public static Optional<ClusterLock> tryAcquire(ClusterDatabase database, long key) throws SQLException {
        Connection connection = database.connect();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.of(new ClusterLock(connection, key));
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** Whether the session that holds the lock is still alive (asks the database, a few seconds at most). */
    public boolean stillHeld() {
        try {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try (connection) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setLong(1, key);
                statement.execute();
            }
        } catch (SQLException e) {
            // the session is gone, and with it the lock
        }
    }
}
