package org.wirebackup.cluster;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.restore.drill.DrillRecord;
import org.wirebackup.run.RunCoordination;
import org.wirebackup.run.RunRecord;

/**
 * One instance's part in the cluster: it takes the installation's advisory lock for each run and drill, writes their
 * records to the shared history (keeping those the database could not take until it is back), and, every
 * check-in interval ({@link #tick()}), notices runs whose instance died: a record still {@code running} whose lock
 * nobody holds is closed as interrupted and alerted by the instance that notices it. Alerts once per outage of the
 * database.
 */
public final class ClusterCoordinator implements RunCoordination {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCoordinator.class);
    public static final String STEP = "cluster";

    private final ClusterDatabase database;
    private final ClusterHistory history;
    private final long lockKey;
    private final Consumer<StepFailedException> alerts;
    private final ObjectMapper json = SharedHistory.JSON;
    /** Records the database did not take (it was away), by kind and id, written again on the next tick. */
    private final Map<String, Write> pending = new ConcurrentSkipListMap<>();
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private final int retentionKeep;
    private final java.time.Duration retentionMaxAge;

    /**
     * @param retentionKeep   {@code backup.retention.keep}: the shared history is pruned as BACKUP_DIR is
     * @param retentionMaxAge {@code backup.retention.max-age}, or null
     */
    public ClusterCoordinator(ClusterDatabase database, ClusterHistory history, String installationId,
                              Consumer<StepFailedException> alerts, int retentionKeep,
                              java.time.Duration retentionMaxAge) {
        this.retentionKeep = retentionKeep;
        this.retentionMaxAge = retentionMaxAge;
        this.database = database;
        this.history = history;
        this.lockKey = ClusterDatabase.lockKey(installationId);
        this.alerts = alerts;
    }

    @Override
    public Optional<Held> tryLock(String what, Runnable onLost) throws IOException {
        Optional<ClusterLock> lock;
        try {
            lock = ClusterLock.tryAcquire(database, lockKey, database.settings().checkinInterval(),
                    database.settings().lockTimeout(), onLost);
        } catch (SQLException e) {
            unreachable(e);
            throw new IOException("the cluster database cannot be reached (" + e.getMessage() + "): no " + what
                    + " starts without the cluster's lock", e);
        }
        reachable();
        if (lock.isEmpty()) {
            LOG.info("{} skipped: another instance of the cluster holds the installation's lock (it runs this firing)",
                    what);
            return Optional.empty();
        }
        ClusterLock taken = lock.get();
        return Optional.of(new Held() {
            @Override
            public void close() {
                taken.close();
            }

            @Override
            public org.wirebackup.run.Fence fence() {
                return taken;
            }
        });
    }

    @Override
    public void recorded(RunRecord record) {
        store(ClusterHistory.RUN + " " + record.runId(), () -> history.put(ClusterHistory.RUN, record.runId(), record.status().json(), record.startedAt(),
                    record.finishedAt(), toJson(record)));
        if (record.good()) {
            try {
                int pruned = history.prune(retentionKeep, retentionMaxAge);
                if (pruned > 0) {
                    LOG.info("Cluster history: retention removed {} records older than the oldest backup kept", pruned);
                }
            } catch (SQLException e) {
                LOG.warn("Cluster history: retention not applied (again after the next good run): {}", e.getMessage());
            }
        }
    }


    @Override
    public Optional<String> newestRunId() {
        try {
            return history.newestId(ClusterHistory.RUN);
        } catch (SQLException e) {
            LOG.warn("Cluster history: the newest run id cannot be read ({}): the run's id is this host's clock's",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** A drill's record was written to BACKUP_DIR: the cluster's history gets it too. */
    public void recordedDrill(DrillRecord record) {
        store(ClusterHistory.DRILL + " " + record.drillId(), () -> history.put(ClusterHistory.DRILL, record.drillId(), record.status(), record.startedAt(),
                    record.finishedAt(), toJson(record)));
    }

    public java.time.Duration checkinInterval() {
        return database.settings().checkinInterval();
    }

    public String instance() {
        return history.instance();
    }

    /** Every instance's run and drill records. */
    public SharedHistory sharedHistory() {
        return new SharedHistory(history);
    }

    /**
     * Every check-in interval: writes what the database missed, and closes the runs of dead instances. (Each lock held
     * checks itself, on its own heartbeat: a one-shot {@code backup} has no check-in.)
     */
    public void tick() {
        try {
            for (Map.Entry<String, Write> entry : pending.entrySet()) {
                entry.getValue().write();
                pending.remove(entry.getKey());
            }
            closeDeadRuns();
            reachable();
        } catch (SQLException | RuntimeException e) {
            unreachable(e);
        }
    }

    private void closeDeadRuns() throws SQLException {
        if (history.running(ClusterHistory.RUN).isEmpty()) {
            return;
        }
        Optional<ClusterLock> lock = ClusterLock.tryAcquire(database, lockKey, database.settings().checkinInterval(),
                database.settings().lockTimeout(), () -> { });
        if (lock.isEmpty()) {
            return;
        }
        try (ClusterLock free = lock.get()) {
            // asked again under the lock: a run that ended wrote its last record before it let the lock go
            for (ClusterHistory.Entry dead : history.running(ClusterHistory.RUN)) {
                RunRecord record = json.readValue(dead.json(), RunRecord.class);
                String why = "interrupted: its instance " + dead.instance() + " stopped holding the cluster's lock"
                        + " during the run (killed, its host lost, or cut off from the database); noticed by "
                        + history.instance();
                RunRecord closed = record.interrupted(Instant.now().toString(), why);
                history.put(ClusterHistory.RUN, closed.runId(), dead.instance(), closed.status().json(),
                        closed.startedAt(), closed.finishedAt(), toJson(closed));
                LOG.error("Run {} on {} was {}", closed.runId(), dead.instance(), why);
                alerts.accept(new StepFailedException(closed.runId(), "run", dead.instance(), "-",
                        "run " + closed.runId() + " on " + dead.instance() + " was " + why, "",
                        "nothing of that run counts as a backup (its copies were never linked into place); the next"
                                + " firing runs on a live instance. Look at that instance's host.", null));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run record in the cluster's history cannot be read: "
                    + e.getOriginalMessage(), e);
        }
    }

    private interface Write {
        void write() throws SQLException;
    }

    private void store(String key, Write write) {
        try {
            write.write();
            reachable();
        } catch (SQLException e) {
            LOG.warn("Cluster history: {} not written yet, again on the next check-in: {}", key, e.getMessage());
            pending.put(key, write);
            unreachable(e);
        }
    }

    private String toJson(Object record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void unreachable(Exception e) {
        if (unreachable.compareAndSet(false, true)) {
            alerts.accept(new StepFailedException("-", STEP, history.instance(), "-",
                    "the cluster database cannot be reached: " + e.getMessage(), "",
                    "no instance starts a run it cannot lock: backups wait until PostgreSQL (" + database.settings()
                            .jdbcUrl() + ") answers again, then resume on their own", e));
        }
    }

    private void reachable() {
        if (unreachable.compareAndSet(true, false)) {
            LOG.info("The cluster database answers again: runs resume");
        }
    }
}
