package org.wirebackup.restore.drill;

import java.util.List;

import org.wirebackup.ssh.SshTarget;

/**
 * The {@code backup.drill.*} settings.
 *
 * @param from    the destination of routes/ the drill fetches its copy from, or {@code local} for BACKUP_DIR's own;
 *                null for the first destination of routes/ it can fetch from
 * @param host    the scratch host every part is restored on; null until set (a drill then refuses to start)
 * @param dir     the scratch directory there: each drill restores into {@code <dir>/<drill id>/<part>/}
 * @param cron    when the {@code run} service drills (Quartz); null for never
 * @param cassandraHosts the scratch Cassandra's nodes the schema and tables are loaded into; empty: not loaded
 * @param maxRowDrop     a table whose rows dropped by more than this fraction since the last good drill fails it
 * @param cassandraCqlPort      the scratch Cassandra's CQL port; null for backup.cassandra.cql-port
 * @param cassandraCqlAddress   where its scratch node's CQL listens, seen from the node's SSH host; null for that host's
 *                              own name (never production's backup.cassandra.cql-address: the drill refuses to inherit it)
 * @param cassandraSstableloader the loader for the scratch Cassandra, as words; empty for restore.cassandra.sstableloader
 * @param identityFile   the age identity that decrypts encrypted full backups; null when none is set
 */
public record DrillSettings(String from, SshTarget host, String dir, String cron, List<SshTarget> cassandraHosts,
                            double maxRowDrop, Integer cassandraCqlPort, String cassandraCqlAddress,
                            List<String> cassandraSstableloader,
                            java.nio.file.Path identityFile) {

    public DrillSettings {
        cassandraHosts = List.copyOf(cassandraHosts);
        cassandraSstableloader = List.copyOf(cassandraSstableloader);
    }

    public static final String FROM = "backup.drill.from";
    public static final String HOST = "backup.drill.host";
    public static final String DIR = "backup.drill.dir";
    public static final String CRON = "backup.drill.cron";
    public static final String CASSANDRA_HOSTS = "backup.drill.cassandra.hosts";
    public static final String MAX_ROW_DROP = "backup.drill.cassandra.max-row-drop";
    public static final String CASSANDRA_CQL_PORT = "backup.drill.cassandra.cql-port";
    public static final String CASSANDRA_CQL_ADDRESS = "backup.drill.cassandra.cql-address";
    public static final String CASSANDRA_SSTABLELOADER = "backup.drill.cassandra.sstableloader";
    public static final String IDENTITY_FILE = "backup.drill.identity-file";
    public static final String LOCAL = "local";

    public boolean configured() {
        return host != null && dir != null;
    }
}
