package org.wirebackup.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wirebackup.restore.RestoreSettings;
import org.wirebackup.source.RemotePaths;
import org.wirebackup.ssh.SshTarget;

/** Reads the {@code restore.*} keys, each checked at start-up like every other setting. */
public final class RestoreSettingsReader {

    private RestoreSettingsReader() {
    }

    public static RestoreSettings read(SettingsReader settings, String defaultUser) {
        SourceSettings sources = new SourceSettings(settings, defaultUser);
        Map<String, String> restart = new LinkedHashMap<>();
        Map<String, String> stop = new LinkedHashMap<>();
        for (String kind : List.of("wire-server", "minio", "cassandra")) {
            settings.optional(RestoreSettings.restartKey(kind)).ifPresent(command -> restart.put(kind, command));
            settings.optional(RestoreSettings.stopKey(kind)).ifPresent(command -> stop.put(kind, command));
        }
        return new RestoreSettings(
                optionalHost(settings, sources, RestoreSettings.WIRE_SERVER_HOST),
                settings.optional(RestoreSettings.WIRE_SERVER_PATH).map(p -> absolute(RestoreSettings.WIRE_SERVER_PATH, p))
                        .orElse(null),
                optionalHost(settings, sources, RestoreSettings.MINIO_HOST),
                hosts(sources, sources.list(RestoreSettings.HOSTS)),
                minioDirs(sources, sources.list(RestoreSettings.MINIO_DIRS)),
                sources.hosts(RestoreSettings.CASSANDRA_HOSTS),
                sources.words(RestoreSettings.SSTABLELOADER),
                absolute(RestoreSettings.STAGING_DIR, settings.required(RestoreSettings.STAGING_DIR)),
                settings.integer(RestoreSettings.PARALLEL_LOADS, 1, 64),
                stop,
                restart,
                sources.cassandraSettings());
    }

    private static SshTarget optionalHost(SettingsReader settings, SourceSettings sources, String key) {
        return settings.optional(key).map(text -> sources.host(key, text)).orElse(null);
    }

    /** {@code RECORDED=NEW,...}: a source host as the backup recorded it, and the host its parts go to instead. */
    private static Map<SshTarget, SshTarget> hosts(SourceSettings sources, List<String> entries) {
        Map<SshTarget, SshTarget> hosts = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new ConfigurationException(RestoreSettings.HOSTS, "'" + entry + "' is not RECORDED=NEW, one per"
                        + " source host (e.g. wire@10.0.0.1=wire@10.9.0.1)");
            }
            SshTarget recorded = sources.host(RestoreSettings.HOSTS, entry.substring(0, equals).strip());
            if (hosts.put(recorded, sources.host(RestoreSettings.HOSTS, entry.substring(equals + 1).strip())) != null) {
                throw new ConfigurationException(RestoreSettings.HOSTS, recorded + " is mapped twice");
            }
        }
        return hosts;
    }

    /**
     * {@code RECORDED=NEW,...}: a data directory as the backup recorded it, on every host ({@code /var/lib/minio1})
     * or on one ({@code wire@10.0.0.1:/var/lib/minio1}: a host's own name never holds a slash), and where it goes.
     */
    private static Map<RestoreSettings.RecordedDir, String> minioDirs(SourceSettings sources, List<String> entries) {
        Map<RestoreSettings.RecordedDir, String> dirs = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new ConfigurationException(RestoreSettings.MINIO_DIRS, "'" + entry + "' is not RECORDED=NEW"
                        + " (e.g. /var/lib/minio-server1=/mnt/minio1, or wire@10.0.0.1:/var/lib/minio-server1=/mnt/a)");
            }
            String left = entry.substring(0, equals).strip();
            int hostEnd = left.startsWith("/") ? -1 : left.indexOf(":/");
            if (!left.startsWith("/") && hostEnd < 0) {
                throw new ConfigurationException(RestoreSettings.MINIO_DIRS, "'" + left + "' is neither a path nor"
                        + " HOST:PATH");
            }
            RestoreSettings.RecordedDir recorded = new RestoreSettings.RecordedDir(
                    hostEnd < 0 ? null : sources.host(RestoreSettings.MINIO_DIRS, left.substring(0, hostEnd)),
                    absolute(RestoreSettings.MINIO_DIRS, hostEnd < 0 ? left : left.substring(hostEnd + 1)));
            if (dirs.put(recorded, absolute(RestoreSettings.MINIO_DIRS, entry.substring(equals + 1).strip())) != null) {
                throw new ConfigurationException(RestoreSettings.MINIO_DIRS, recorded + " is mapped twice");
            }
        }
        return dirs;
    }

    private static String absolute(String key, String path) {
        try {
            return RemotePaths.absolute(path);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage());
        }
    }
}
