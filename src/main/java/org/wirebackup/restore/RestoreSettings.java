package org.wirebackup.restore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.wirebackup.source.cassandra.CassandraSettings;
import org.wirebackup.ssh.SshTarget;

/**
 * The {@code restore.*} settings: where each kind goes when it does not go back where the manifest recorded it (a
 * fresh installation), how Cassandra is loaded, and what to restart after each kind.
 *
 * @param wireServerHost  null for the host the manifest recorded
 * @param wireServerPath  null for the path the manifest recorded
 * @param minioHost       null for the host the manifest recorded
 * @param hosts           a host as the manifest recorded it, to the host its parts go to instead (every kind; a kind's
 *                        own host setting comes first)
 * @param minioDirs       a MinIO data directory as recorded (on any host, or on one), to the one it is restored to
 * @param cassandraHosts  empty for the nodes the manifest recorded; else node part i is loaded from host i mod n (a
 *                        restore refuses two node parts on one node; a drill's scratch cluster may take several)
 * @param sstableloader   the command, as words, that loads a {@code <keyspace>/<table>} directory on a node
 * @param stagingDir      where a node's snapshot is unpacked for sstableloader, in a directory of its own
 * @param parallelLoads   how many sstableloader processes load a node's tables at once
 * @param stopCommands    per kind, run on each of its target hosts before anything of the kind changes there
 * @param restartCommands per kind (wire-server, minio, cassandra), run on each of its target hosts once it is back
 * @param cassandra       how CQL and nodetool are reached (the backup.cassandra.* settings)
 */
public record RestoreSettings(SshTarget wireServerHost, String wireServerPath, SshTarget minioHost,
                              Map<SshTarget, SshTarget> hosts, Map<RecordedDir, String> minioDirs,
                              List<SshTarget> cassandraHosts,
                              List<String> sstableloader, String stagingDir, int parallelLoads,
                              Map<String, String> stopCommands,
                              Map<String, String> restartCommands,
                              CassandraSettings cassandra) {

    public static final String WIRE_SERVER_HOST = "restore.wire-server.host";
    public static final String WIRE_SERVER_PATH = "restore.wire-server.path";
    public static final String MINIO_HOST = "restore.minio.host";
    public static final String MINIO_DIRS = "restore.minio.dirs";
    public static final String HOSTS = "restore.hosts";
    public static final String CASSANDRA_HOSTS = "restore.cassandra.hosts";
    public static final String SSTABLELOADER = "restore.cassandra.sstableloader";
    public static final String STAGING_DIR = "restore.cassandra.staging-dir";
    public static final String PARALLEL_LOADS = "restore.cassandra.parallel-loads";
    public static final int DEFAULT_PARALLEL_LOADS = 4;

    public RestoreSettings {
        hosts = Map.copyOf(hosts);
        minioDirs = Map.copyOf(minioDirs);
        cassandraHosts = List.copyOf(cassandraHosts);
        sstableloader = List.copyOf(sstableloader);
        stopCommands = Map.copyOf(stopCommands);
        restartCommands = Map.copyOf(restartCommands);
    }

    /** The defaults: everything goes back where the manifest recorded it, nothing is restarted. */
    public static RestoreSettings sameAsRecorded(CassandraSettings cassandra) {
        return new RestoreSettings(null, null, null, Map.of(), Map.of(), List.of(), List.of("sstableloader"), "/var/tmp",
                DEFAULT_PARALLEL_LOADS, Map.of(), Map.of(), cassandra);
    }

    /**
     * A data directory as a backup recorded it: on one host, or (host null) on every host that has it.
     */
    public record RecordedDir(SshTarget host, String path) {

        boolean matches(SshTarget recordedHost, String recordedPath) {
            return path.equals(recordedPath) && (host == null || host.equals(recordedHost));
        }

        @Override
        public String toString() {
            return host == null ? path : host + ":" + path;
        }
    }

    public static String restartKey(String kind) {
        return "restore." + kind + ".restart-command";
    }

    public static String stopKey(String kind) {
        return "restore." + kind + ".stop-command";
    }

    public Optional<String> stopCommand(String kind) {
        return Optional.ofNullable(stopCommands.get(kind));
    }

    public Optional<String> restartCommand(String kind) {
        return Optional.ofNullable(restartCommands.get(kind));
    }
}
