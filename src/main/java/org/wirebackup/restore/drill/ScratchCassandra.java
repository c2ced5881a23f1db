package org.wirebackup.restore.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.archive.Manifest;
import org.wirebackup.restore.CassandraRestore;
import org.wirebackup.restore.KeyspaceState;
import org.wirebackup.restore.RestorePlan;
import org.wirebackup.restore.RestoreRecord;
import org.wirebackup.restore.RestoreSettings;
import org.wirebackup.restore.RestoreTarget;
import org.wirebackup.restore.RestoreTargets;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * The drill's Cassandra proof: the backup's schema and every node's tables loaded into the scratch cluster with the
 * restore's own code, then every table's rows counted and compared with the last good drill's (none may drop to
 * zero, or by more than the allowed fraction); the keyspaces it created dropped again, unless kept.
 */
final class ScratchCassandra {

    static final String PART = "cassandra (scratch cluster)";

    private final RemoteCommandRunner ssh;
    private final RestoreSettings scratch;
    private final String defaultUser;
    private final boolean keep;

    ScratchCassandra(RemoteCommandRunner ssh, RestoreSettings scratch, String defaultUser, boolean keep) {
        this.ssh = ssh;
        this.scratch = scratch;
        this.defaultUser = defaultUser;
        this.keep = keep;
    }

    DrillRecord.Part prove(FullBackupFile fullBackup, Manifest manifest, Map<String, Long> previousRows, double maxRowDrop,
                           Map<String, Long> rows) {
        Instant started = Instant.now();
        List<RestoreTarget> targets = RestoreTargets.of(manifest, defaultUser, scratch).stream()
                .filter(CassandraRestore::isCassandra).toList();
        CassandraRestore cassandra = CassandraRestore.intoScratchCluster(ssh, scratch);
        KeyspaceState before = cassandra.state(fullBackup, targets);
        if (before.error() != null) {
            return failed(started, "the scratch Cassandra cannot be read over CQL: " + before.error(), null);
        }
        if (!before.holdingData().isEmpty()) {
            return failed(started, "the scratch Cassandra holds keyspace " + String.join(", ", before.holdingData())
                    + " already: a drill loads only into keyspaces it creates; drop them there", null);
        }
        List<String> differences = new ArrayList<>();
        try {
            List<RestoreRecord.PartOutcome> outcomes = cassandra.restore(fullBackup, manifest.runId(), targets.stream()
                    .map(t -> new RestorePlan.Line(t, null, null)).toList(), before, false, rows, maxRowDrop,
                    DrillSettings.MAX_ROW_DROP + " " + maxRowDrop);
            outcomes.stream().filter(o -> !o.ok()).forEach(o -> differences.add(o.name() + ": " + o.error()));
            if (differences.isEmpty() && rows.isEmpty()) {
                differences.add("no table was found in the scratch Cassandra after loading");
            }
            rows.forEach((table, count) -> {
                Long previous = previousRows.get(table);
                if (previous != null && previous > 0 && (count == 0 || count < previous * (1 - maxRowDrop))) {
                    differences.add(table + ": " + count + " rows, the last good drill found " + previous
                            + " (backup.drill.cassandra.max-row-drop " + maxRowDrop + ")");
                }
            });
        } finally {
            if (!keep) {
                dropCreated(cassandra, targets, before, differences);
            }
        }
        Duration took = Duration.between(started, Instant.now());
        if (!differences.isEmpty()) {
            return new DrillRecord.Part(PART, "cassandra", DrillRecord.FAILED, 0, (long) rows.size(), took.toMillis(),
                    differences.subList(0, Math.min(DrillRun.DIFFERENCES_SHOWN, differences.size())),
                    differences.size() + " problems loading or counting the tables");
        }
        return new DrillRecord.Part(PART, "cassandra", DrillRecord.OK, 0, (long) rows.size(), took.toMillis(), null, null);
    }

    /** Only the keyspaces that were missing before the drill: one the scratch cluster had is never dropped. */
    private void dropCreated(CassandraRestore cassandra, List<RestoreTarget> targets, KeyspaceState before,
                             List<String> differences) {
        try {
            cassandra.dropKeyspaces(targets, before.missing());
        } catch (RemoteCommandException e) {
            differences.add("the drill's keyspaces " + before.missing() + " could not be dropped: " + e.getMessage());
        }
    }

    private static DrillRecord.Part failed(Instant started, String why, List<String> differences) {
        return new DrillRecord.Part(PART, "cassandra", DrillRecord.FAILED, 0, null,
                Duration.between(started, Instant.now()).toMillis(), differences, why);
    }
}
