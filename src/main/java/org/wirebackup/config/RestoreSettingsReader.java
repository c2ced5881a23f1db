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
        for (String kind : List.of("wire-server", "minio", "cassandra")) {
            settings.optional(RestoreSettings.restartKey(kind)).ifPresent(command -> restart.put(kind, command));
        }
        return new RestoreSettings(
                optionalHost(settings, sources, RestoreSettings.WIRE_SERVER_HOST),
                settings.optional(RestoreSettings.WIRE_SERVER_PATH).map(p -> absolute(RestoreSettings.WIRE_SERVER_PATH, p))
                        .orElse(null),
                optionalHost(settings, sources, RestoreSettings.MINIO_HOST),
                minioDirs(sources.list(RestoreSettings.MINIO_DIRS)),
                sources.hosts(RestoreSettings.CASSANDRA_HOSTS),
                sources.words(RestoreSettings.SSTABLELOADER),
                absolute(RestoreSettings.STAGING_DIR, settings.required(RestoreSettings.STAGING_DIR)),
                restart,
                sources.cassandraSettings());
    }

    private static SshTarget optionalHost(SettingsReader settings, SourceSettings sources, String key) {
        return settings.optional(key).map(text -> sources.host(key, text)).orElse(null);
    }

    /** {@code RECORDED=NEW,...}: a data directory as the backup recorded it, and where it goes instead. */
    private static Map<String, String> minioDirs(List<String> entries) {
        Map<String, String> dirs = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new ConfigurationException(RestoreSettings.MINIO_DIRS, "'" + entry + "' is not RECORDED=NEW"
                        + " (e.g. /var/lib/minio-server1=/mnt/minio1)");
            }
            String recorded = absolute(RestoreSettings.MINIO_DIRS, entry.substring(0, equals).strip());
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
