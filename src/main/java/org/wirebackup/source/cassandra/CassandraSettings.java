package org.wirebackup.source.cassandra;

import java.util.List;

import org.wirebackup.source.Compression;

/**
 * How the Cassandra nodes are backed up.
 *
 * @param keyspaces    the keyspaces to snapshot; empty for every keyspace that is not Cassandra's own
 * @param dataDir      the node's data directory ({@code data_file_directories}), holding {@code <ks>/<table>-<id>/}
 * @param nodetool     the nodetool command as words, e.g. {@code [nodetool, -h, ::FFFF:127.0.0.1]}
 * @param configFile   the node's cassandra.yaml, checked for auto_snapshot and snapshot_before_compaction
 * @param cqlAddress   where CQL listens, as seen from the node; null for the node's own address
 * @param cqlPassword  from the environment only
 */
public record CassandraSettings(List<String> keyspaces, String dataDir, List<String> nodetool, String configFile,
                                boolean allowDegraded, Compression compression, boolean captureSchema,
                                String cqlAddress, int cqlPort, String cqlUsername, String cqlPassword,
                                org.wirebackup.source.ChangedFiles changedFiles) {

    /** Cassandra's own keyspaces: never snapshotted as data (the schema is captured over CQL). */
    public static final List<String> SYSTEM_KEYSPACES = List.of("system", "system_schema", "system_auth",
            "system_distributed", "system_traces", "system_views", "system_virtual_schema", "system_cluster_metadata");

    public CassandraSettings {
        keyspaces = List.copyOf(keyspaces);
        nodetool = List.copyOf(nodetool);
    }

    @Override
    public String toString() {
        return "CassandraSettings[keyspaces=" + keyspaces + ", dataDir=" + dataDir + ", nodetool=" + nodetool + "]";
    }
}
