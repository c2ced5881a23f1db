package org.wirebackup.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.io.DaemonThreads;
import org.wirebackup.run.Fence;

/**
 * The installation's run lock across the cluster: a PostgreSQL session-level advisory lock on a connection of its own,
 * held for the whole run or drill. PostgreSQL releases it when that session ends. The session is told to end when it
 * has been silent for {@code timeout} ({@code idle_session_timeout}; TCP keepalives for a host cut off), and the
 * holder speaks every check-in interval, asking whether it still holds the lock: a holder that hangs (stopped, swapping,
 * cut off) gives the lock up within the timeout instead of when TCP gives up, about two hours on Linux defaults. A
 * holder that finds the lock gone says so once ({@code onLost}); before publishing anything it asks again
 * ({@link #check}).
 */
public final class ClusterLock implements AutoCloseable, Fence {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLock.class);
    private static final AtomicBoolean WARNED_NO_IDLE_TIMEOUT = new AtomicBoolean();

    private final Connection connection;
    private final long key;
    private final Runnable onLost;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService heartbeat;

    private ClusterLock(Connection connection, long key, Duration checkin, Runnable onLost) {
        this.connection = connection;
        this.key = key;
        this.onLost = onLost;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cluster-lock"));
        heartbeat.scheduleWithFixedDelay(this::beat, checkin.toMillis(), checkin.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The lock, or empty when another instance holds it; throws when the database cannot be reached.
     *
     * @param timeout how long the session may be silent before PostgreSQL ends it (and the lock with it)
     * @param onLost  run once, from the heartbeat, when the lock is found gone
     */
    public static Optional<ClusterLock> tryAcquire(ClusterDatabase database, long key, Duration checkin,
                                                   Duration timeout, Runnable onLost) throws SQLException {
        Connection connection = database.connect();
        try {
            boundSilence(connection, timeout);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, key);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new ClusterLock(connection, key, checkin, onLost));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** A session silent for {@code timeout} is ended by PostgreSQL (14+); a peer gone quiet on TCP within it too. */
    private static void boundSilence(Connection connection, Duration timeout) throws SQLException {
        long seconds = Math.max(1, timeout.toSeconds());
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET tcp_keepalives_idle = " + Math.max(1, seconds / 3));
            statement.execute("SET tcp_keepalives_interval = " + Math.max(1, seconds / 9));
            statement.execute("SET tcp_keepalives_count = 3");
            try {
                statement.execute("SET idle_session_timeout = " + timeout.toMillis());
            } catch (SQLException olderThan14) {
                if (WARNED_NO_IDLE_TIMEOUT.compareAndSet(false, true)) {
                    LOG.warn("The cluster's PostgreSQL has no idle_session_timeout (it came with PostgreSQL 14): an"
                            + " instance that hangs while it holds the lock keeps it until TCP keepalive gives up"
                            + " ({})", olderThan14.getMessage());
                }
            }
        }
    }

    /** Whether this session still holds the lock, asked of the database (which also keeps the session from idling). */
    private synchronized boolean stillHeld() {
        if (closed.get()) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE"
                + " locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND classid::bigint = ?"
                + " AND objid::bigint = ? AND objsubid = 1")) {
            statement.setQueryTimeout(10);
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getLong(1) == 1;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private void beat() {
        if (!stillHeld() && !closed.get() && lost.compareAndSet(false, true)) {
            LOG.error("The cluster's lock was lost (its database session ended: silent longer than the lock timeout,"
                    + " ended by the database, or the database is away): the run under way stops, and publishes"
                    + " nothing");
            heartbeat.shutdown();
            onLost.run();
        }
    }

    /** Asks the database, now, whether the lock is still this session's: the fence before publishing anything. */
    @Override
    public void check(String action) throws LockLostException {
        if (lost.get() || !stillHeld()) {
            boolean first = lost.compareAndSet(false, true);
            if (first && !closed.get()) {
                heartbeat.shutdown();
                onLost.run();
            }
            throw new LockLostException("not " + action + ": this instance no longer holds the cluster's lock (its"
                    + " database session ended); another instance may be running");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.shutdownNow();
        synchronized (this) {
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
}
