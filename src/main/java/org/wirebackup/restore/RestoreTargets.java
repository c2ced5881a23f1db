package org.wirebackup.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.wirebackup.archive.Manifest;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.ssh.SshTarget;

/**
 * Every part of a manifest with its target: by default the host and path the backup recorded; for a new
 * installation, those the {@code restore.*} settings map each source host and kind to. A restore gives every part a
 * target of its own ({@link #refuseShared}).
 */
public final class RestoreTargets {

    private RestoreTargets() {
    }

    public static List<RestoreTarget> of(Manifest manifest, String defaultUser, RestoreSettings settings) {
        List<RestoreTarget> targets = new ArrayList<>();
        Set<RestoreSettings.RecordedDir> minioDirsMapped = new HashSet<>();
        int cassandraNode = 0;
        SshTarget firstCassandraTarget = null;
        for (Manifest.Part part : manifest.parts()) {
            SshTarget recorded = part.host() == null ? null : SshTarget.parse(part.host(), defaultUser, 22);
            SshTarget mapped = recorded == null ? null : settings.hosts().getOrDefault(recorded, recorded);
            RestoreTarget target = switch (part.kind()) {
                case "wire-server" -> directory(part, or(settings.wireServerHost(), mapped),
                        settings.wireServerPath() != null ? settings.wireServerPath() : part.remotePath());
                case "minio" -> {
                    String path = part.remotePath();
                    // a mapping for this host's directory comes before one for the directory on every host
                    for (Map.Entry<RestoreSettings.RecordedDir, String> dir : byHostFirst(settings.minioDirs())) {
                        if (dir.getKey().matches(recorded, part.remotePath())) {
                            minioDirsMapped.add(dir.getKey());
                            path = dir.getValue();
                            break;
                        }
                    }
                    yield directory(part, or(settings.minioHost(), mapped), path);
                }
                case "cassandra" -> {
                    SshTarget node = settings.cassandraHosts().isEmpty() ? mapped
                            : settings.cassandraHosts().get(cassandraNode % settings.cassandraHosts().size());
                    cassandraNode++;
                    yield new RestoreTarget(part, node, settings.stagingDir(), "unpacked in a new directory under "
                            + settings.stagingDir() + ", every table staged as <keyspace>/<table> and loaded with "
                            + "sstableloader; the staging removed after");
                }
                case "cassandra-schema" -> new RestoreTarget(part, mapped, null,
                        "the keyspaces' schema, through the CQL tunnel, before the tables (what exists is kept)");
                default -> new RestoreTarget(part, null, null,
                        "not restored by wire-backup: the output of your own command; restore it by hand");
            };
            if (target.part().kind().equals("cassandra") && firstCassandraTarget == null) {
                firstCassandraTarget = target.host();
            }
            targets.add(target);
        }
        for (RestoreSettings.RecordedDir dir : settings.minioDirs().keySet()) {
            if (!minioDirsMapped.contains(dir)) {
                throw new ConfigurationException(RestoreSettings.MINIO_DIRS, dir + " is no MinIO data directory of run "
                        + manifest.runId() + " (it has: " + manifest.parts().stream()
                        .filter(p -> p.kind().equals("minio")).map(p -> p.host() + ":" + p.remotePath()).distinct()
                        .toList() + ")");
            }
        }
        for (SshTarget host : settings.hosts().keySet()) {
            if (manifest.parts().stream().noneMatch(p -> p.host() != null
                    && SshTarget.parse(p.host(), defaultUser, 22).equals(host))) {
                throw new ConfigurationException(RestoreSettings.HOSTS, host + " is no host of run " + manifest.runId()
                        + " (it has: " + manifest.parts().stream().map(Manifest.Part::host)
                        .filter(java.util.Objects::nonNull).distinct().toList() + ")");
            }
        }
        return schemaThroughFirstNode(targets, firstCassandraTarget, settings);
    }

    /**
     * Refuses, before anything changes, a plan in which two parts of the restored kinds would go to one target: two
     * directory parts to one {@code host:path} (one would land over the other), or two Cassandra node parts to one
     * node.
     *
     * @throws ConfigurationException naming both parts and the setting that maps them together
     */
    public static void refuseShared(List<RestoreTarget> targets, Set<String> kinds, RestoreSettings settings) {
        Map<String, RestoreTarget> taken = new LinkedHashMap<>();
        for (RestoreTarget target : targets) {
            if (!kinds.contains(RestoreRun.kindOf(target)) || target.host() == null
                    || !(target.isDirectory() || target.part().kind().equals("cassandra"))) {
                continue;
            }
            String where = target.isDirectory() ? target.host() + ":" + target.path() : "node " + target.host();
            RestoreTarget other = taken.putIfAbsent(where, target);
            if (other != null) {
                String key = switch (target.part().kind()) {
                    case "minio" -> settings.minioHost() != null ? RestoreSettings.MINIO_HOST : RestoreSettings.HOSTS;
                    case "cassandra" -> !settings.cassandraHosts().isEmpty() ? RestoreSettings.CASSANDRA_HOSTS
                            : RestoreSettings.HOSTS;
                    default -> settings.wireServerHost() != null ? RestoreSettings.WIRE_SERVER_HOST
                            : RestoreSettings.HOSTS;
                };
                throw new ConfigurationException(key, "parts " + other.part().name() + " (from " + other.part().host()
                        + ") and " + target.part().name() + " (from " + target.part().host() + ") would both go to "
                        + where + ": give each source host its own target (" + RestoreSettings.HOSTS + ", one"
                        + " RECORDED=NEW per source host" + switch (target.part().kind()) {
                            case "minio" -> ", or " + RestoreSettings.MINIO_DIRS + " HOST:PATH=NEW";
                            case "cassandra" -> ", or one node per node part in " + RestoreSettings.CASSANDRA_HOSTS;
                            default -> "";
                        }
                        + "); nothing was changed");
            }
        }
    }

    /** The mappings for one host's directory first, then those for a directory on every host. */
    private static List<Map.Entry<RestoreSettings.RecordedDir, String>> byHostFirst(
            Map<RestoreSettings.RecordedDir, String> dirs) {
        return dirs.entrySet().stream()
                .sorted(java.util.Comparator.comparing(e -> e.getKey().host() == null)).toList();
    }

    /** The schema goes through the first node data is loaded on (restore.cassandra.hosts' first, by default). */
    private static List<RestoreTarget> schemaThroughFirstNode(List<RestoreTarget> targets, SshTarget firstNode,
                                                              RestoreSettings settings) {
        SshTarget schemaHost = !settings.cassandraHosts().isEmpty() ? settings.cassandraHosts().get(0) : firstNode;
        return targets.stream().map(t -> t.part().kind().equals("cassandra-schema")
                && schemaHost != null ? new RestoreTarget(t.part(), schemaHost, null, t.method()) : t).toList();
    }

    private static RestoreTarget directory(Manifest.Part part, SshTarget host, String path) {
        return new RestoreTarget(part, host, path, "streamed into tar -x -C " + path + ": every entry lands inside it");
    }

    private static SshTarget or(SshTarget override, SshTarget recorded) {
        return override != null ? override : recorded;
    }
}
