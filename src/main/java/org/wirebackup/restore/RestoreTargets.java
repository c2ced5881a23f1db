package org.wirebackup.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.wirebackup.archive.Manifest;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.ssh.SshTarget;

/**
 * Every part of a manifest with its target: by default the host and path the backup recorded; for a new
 * installation, those the {@code restore.*} settings map each kind to.
 */
public final class RestoreTargets {

    private RestoreTargets() {
    }

    public static List<RestoreTarget> of(Manifest manifest, String defaultUser, RestoreSettings settings) {
        List<RestoreTarget> targets = new ArrayList<>();
        Set<String> minioDirsMapped = new HashSet<>();
        int cassandraNode = 0;
        SshTarget firstCassandraTarget = null;
        for (Manifest.Part part : manifest.parts()) {
            SshTarget recorded = part.host() == null ? null : SshTarget.parse(part.host(), defaultUser, 22);
            RestoreTarget target = switch (part.kind()) {
                case "wire-server" -> directory(part, or(settings.wireServerHost(), recorded),
                        settings.wireServerPath() != null ? settings.wireServerPath() : part.remotePath());
                case "minio" -> {
                    String mapped = settings.minioDirs().get(part.remotePath());
                    if (mapped != null) {
                        minioDirsMapped.add(part.remotePath());
                    }
                    yield directory(part, or(settings.minioHost(), recorded), mapped != null ? mapped : part.remotePath());
                }
                case "cassandra" -> {
                    SshTarget node = settings.cassandraHosts().isEmpty() ? recorded
                            : settings.cassandraHosts().get(cassandraNode % settings.cassandraHosts().size());
                    cassandraNode++;
                    yield new RestoreTarget(part, node, settings.stagingDir(), "unpacked in a new directory under "
                            + settings.stagingDir() + ", every table staged as <keyspace>/<table> and loaded with "
                            + "sstableloader; the staging removed after");
                }
                case "cassandra-schema" -> new RestoreTarget(part, recorded, null,
                        "the keyspaces' schema, through the CQL tunnel, before the tables (what exists is kept)");
                default -> new RestoreTarget(part, null, null,
                        "not restored by wire-backup: the output of your own command; restore it by hand");
            };
            if (target.part().kind().equals("cassandra") && firstCassandraTarget == null) {
                firstCassandraTarget = target.host();
            }
            targets.add(target);
        }
        for (String dir : settings.minioDirs().keySet()) {
            if (!minioDirsMapped.contains(dir)) {
                throw new ConfigurationException(RestoreSettings.MINIO_DIRS, dir + " is no MinIO data directory of run "
                        + manifest.runId() + " (it has: " + manifest.parts().stream()
                        .filter(p -> p.kind().equals("minio")).map(Manifest.Part::remotePath).distinct().toList() + ")");
            }
        }
        return schemaThroughFirstNode(targets, firstCassandraTarget, settings);
    }

    /** The schema goes through the first node data is loaded on (restore.cassandra.hosts' first, by default). */
    private static List<RestoreTarget> schemaThroughFirstNode(List<RestoreTarget> targets, SshTarget firstNode,
                                                              RestoreSettings settings) {
        SshTarget schemaHost = !settings.cassandraHosts().isEmpty() ? settings.cassandraHosts().get(0) : firstNode;
        return targets.stream().map(t -> t.part().kind().equals("cassandra-schema")
                && schemaHost != null ? new RestoreTarget(t.part(), schemaHost, null, t.method()) : t).toList();
    }

    private static RestoreTarget directory(Manifest.Part part, SshTarget host, String path) {
        return new RestoreTarget(part, host, path, "streamed into tar -x in " + Path.of(path).getParent());
    }

    private static SshTarget or(SshTarget override, SshTarget recorded) {
        return override != null ? override : recorded;
    }
}
