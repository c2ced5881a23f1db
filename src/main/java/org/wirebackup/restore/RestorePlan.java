package org.wirebackup.restore;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.archive.Manifest;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * What a restore of one full backup would do, part by part: what goes where, how, how much, and what is there now.
 * Reading it changes nothing.
 *
 * @param keyspaces what the cluster holds of the backup's keyspaces; null when the backup has no Cassandra part or
 *                  Cassandra is not restored
 */
public record RestorePlan(FullBackupFile fullBackup, Manifest manifest, List<Line> lines, KeyspaceState keyspaces,
                          ClusterNodes cluster) {

    /**
     * One part: its target, and what is there now: a directory's state, or the free space a Cassandra node stages
     * in; null for a part no restore step takes.
     */
    public record Line(RestoreTarget target, TargetState now, StagingSpace staging) {
    }

    /**
     * @param readKeyspaces whether to read what the cluster holds now (not when Cassandra is left out by --only)
     */
    public static RestorePlan of(FullBackupFile fullBackup, Manifest manifest, String defaultUser, RemoteCommandRunner ssh,
                                 RestoreSettings settings, boolean readKeyspaces) {
        List<Line> lines = new ArrayList<>();
        List<RestoreTarget> targets = RestoreTargets.of(manifest, defaultUser, settings);
        for (RestoreTarget target : targets) {
            lines.add(new Line(target, target.isDirectory() ? TargetState.of(ssh, target) : null,
                    target.part().kind().equals("cassandra") ? StagingSpace.of(ssh, target) : null));
        }
        List<RestoreTarget> cassandra = targets.stream().filter(CassandraRestore::isCassandra).toList();
        CassandraRestore cassandraRestore = new CassandraRestore(ssh, settings);
        KeyspaceState keyspaces = cassandra.isEmpty() || !readKeyspaces ? null
                : cassandraRestore.state(fullBackup, cassandra);
        // only a --replace over data truncates, and a truncate reaches every node: then every node matters
        ClusterNodes cluster = keyspaces == null || keyspaces.holdingData().isEmpty() ? null
                : cassandraRestore.nodes(cassandra);
        return new RestorePlan(fullBackup, manifest, lines, keyspaces, cluster);
    }

    public void print(PrintWriter out) {
        out.printf("Restore plan for %s (run %s, %d parts); nothing has been changed%n", fullBackup,
                manifest.runId(), manifest.parts().size());
        if (fullBackup.encrypted()) {
            out.printf("  encrypted (age): decrypted as it is read, with %s; nothing decrypted is written to disk%n",
                    fullBackup.identity().file());
        }
        for (Line line : lines) {
            RestoreTarget target = line.target();
            out.printf("  %-40s %s%n", target.part().name(), human(target.part().size()));
            out.printf("      to   %s%n", target.host() == null ? "-" : target.host() + (target.path() == null ? ""
                    : ":" + target.path()));
            out.printf("      how  %s%n", target.method());
            if (keyspaces != null && target == keyspacesLine()) {
                out.printf("      now  %s%n", keyspaces.describe(manifest.runId()));
                if (cluster != null) {
                    out.printf("      now  %s%n", cluster.describe());
                }
            }
            if (line.now() != null) {
                out.printf("      now  %s%s%n", line.now().describe(), line.now().freeBytes() < 0 ? ""
                        : ", " + human(line.now().freeBytes()) + " free there");
            }
            if (line.staging() != null) {
                out.printf("      now  %s%s%n", line.staging().describe(), line.staging().freeBytes() < 0 ? ""
                        : ", " + human(line.staging().freeBytes()) + " free there");
            }
        }
        out.flush();
    }

    /** The line that shows what the cluster holds: the schema's, or the first node's when there is no schema part. */
    private RestoreTarget keyspacesLine() {
        return lines.stream().map(Line::target).filter(t -> t.part().kind().equals("cassandra-schema")).findFirst()
                .orElseGet(() -> lines.stream().map(Line::target).filter(CassandraRestore::isCassandra).findFirst()
                        .orElse(null));
    }

    private static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
