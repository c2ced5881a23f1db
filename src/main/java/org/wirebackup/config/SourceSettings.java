package org.wirebackup.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.wirebackup.source.ChangedFiles;
import org.wirebackup.source.CommandSource;
import org.wirebackup.source.Compression;
import org.wirebackup.source.MinioDataDirSource;
import org.wirebackup.source.RemotePaths;
import org.wirebackup.source.Source;
import org.wirebackup.source.SourceNames;
import org.wirebackup.source.WireServerFolderSource;
import org.wirebackup.source.cassandra.CassandraNodeSource;
import org.wirebackup.source.cassandra.CassandraSchemaSource;
import org.wirebackup.source.cassandra.CassandraSettings;
import org.wirebackup.ssh.SshTarget;

/** The sources to capture, read from the {@code backup.wire-server.*}, {@code backup.cassandra.*}, ... keys. */
final class SourceSettings {

    static final String WIRE_SERVER_HOST = "backup.wire-server.host";
    static final String WIRE_SERVER_PATH = "backup.wire-server.path";
    static final String CASSANDRA_HOSTS = "backup.cassandra.hosts";
    static final String CASSANDRA_KEYSPACES = "backup.cassandra.keyspaces";
    static final String MINIO_HOSTS = "backup.minio.hosts";
    static final String MINIO_DIRS = "backup.minio.dirs";
    static final String COMMANDS = "backup.commands";

    private final SettingsReader settings;
    private final String defaultUser;

    SourceSettings(SettingsReader settings, String defaultUser) {
        this.settings = settings;
        this.defaultUser = defaultUser;
    }

    List<Source> read() {
        List<Source> sources = new ArrayList<>();
        sources.addAll(wireServer());
        sources.addAll(cassandra());
        sources.addAll(minio());
        sources.addAll(commands());
        if (sources.isEmpty()) {
            throw new ConfigurationException(WIRE_SERVER_HOST, "no source to back up: set at least one of "
                    + WIRE_SERVER_HOST + ", " + CASSANDRA_HOSTS + ", " + MINIO_HOSTS + ", " + COMMANDS);
        }
        Set<String> names = new HashSet<>();
        for (Source source : sources) {
            if (!names.add(source.name())) {
                throw new ConfigurationException(source.kind().equals("command") ? COMMANDS : hostsKey(source),
                        "two sources would both be named '" + source.name() + "' (the same host listed twice?)");
            }
        }
        return sources;
    }

    private List<Source> wireServer() {
        List<SshTarget> hosts = hosts(WIRE_SERVER_HOST);
        String path = settings.required(WIRE_SERVER_PATH);
        Compression compression = compression("backup.wire-server");
        List<Source> sources = new ArrayList<>();
        for (SshTarget host : hosts) {
            String name = hosts.size() == 1 ? "wire-server" : "wire-server-" + SourceNames.of(host);
            ChangedFiles changedFiles = settings.choice("backup.wire-server.changed-files", ChangedFiles.class);
            sources.add(check(WIRE_SERVER_PATH, () -> new WireServerFolderSource(name, host, path, compression,
                    changedFiles)));
        }
        return sources;
    }

    private List<Source> cassandra() {
        List<SshTarget> hosts = hosts(CASSANDRA_HOSTS);
        if (hosts.isEmpty()) {
            return List.of();
        }
        CassandraSettings cassandra = cassandraSettings();
        List<Source> sources = new ArrayList<>();
        for (SshTarget host : hosts) {
            sources.add(new CassandraNodeSource(host, cassandra));
        }
        if (cassandra.captureSchema()) {
            sources.add(new CassandraSchemaSource(hosts, cassandra));
        }
        return sources;
    }

    /** How Cassandra is reached (nodetool, CQL), read whether or not any node is backed up: a restore needs it too. */
    CassandraSettings cassandraSettings() {
        List<String> keyspaces = list(CASSANDRA_KEYSPACES);
        for (String keyspace : keyspaces) {
            if (!keyspace.matches("[A-Za-z0-9_]{1,48}")) {
                throw new ConfigurationException(CASSANDRA_KEYSPACES, "'" + keyspace + "' is not a keyspace name");
            }
        }
        String dataDir;
        try {
            dataDir = RemotePaths.absolute(settings.required("backup.cassandra.data-dir"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("backup.cassandra.data-dir", e.getMessage());
        }
        List<String> nodetool = words("backup.cassandra.nodetool");
        return new CassandraSettings(keyspaces, dataDir, nodetool,
                settings.required("backup.cassandra.config-file"), settings.bool("backup.cassandra.allow-degraded"),
                compression("backup.cassandra"), settings.bool("backup.cassandra.schema"),
                settings.optional("backup.cassandra.cql-address").orElse(null),
                settings.integer("backup.cassandra.cql-port", 1, 65535),
                settings.optional("backup.cassandra.cql-username").orElse(null),
                settings.optional("backup.cassandra.cql-password").orElse(null),
                settings.choice("backup.cassandra.changed-files", ChangedFiles.class));
    }

    /** A command written as words, e.g. {@code nodetool -h ::FFFF:127.0.0.1}. */
    List<String> words(String key) {
        return Arrays.asList(settings.required(key).strip().split("\\s+"));
    }

    private List<Source> minio() {
        List<SshTarget> hosts = hosts(MINIO_HOSTS);
        if (hosts.isEmpty()) {
            return List.of();
        }
        List<String> dirs = list(MINIO_DIRS);
        if (dirs.isEmpty()) {
            throw new ConfigurationException(MINIO_DIRS, "is not set, but " + MINIO_HOSTS + " is");
        }
        Compression compression = compression("backup.minio");
        ChangedFiles changedFiles = settings.choice("backup.minio.changed-files", ChangedFiles.class);
        List<Source> sources = new ArrayList<>();
        for (SshTarget host : hosts) {
            for (String dir : dirs) {
                sources.add(check(MINIO_DIRS, () -> new MinioDataDirSource(host, dir, compression, changedFiles)));
            }
        }
        return sources;
    }

    /** The names {@code backup.commands} declares, as written. */
    static List<String> commandNames(SettingsReader settings) {
        return settings.optional(COMMANDS).map(SourceSettings::splitList).orElse(List.of());
    }

    private List<Source> commands() {
        List<Source> sources = new ArrayList<>();
        for (String name : commandNames(settings)) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                throw new ConfigurationException(COMMANDS, "'" + name + "' is not a name (letters, digits, - and _)");
            }
            String prefix = "backup.command." + name;
            SshTarget host = host(prefix + ".host", settings.required(prefix + ".host"));
            String format = settings.string(prefix + ".format", "raw").toLowerCase(Locale.ROOT);
            if (!format.equals("raw") && !format.equals("tar")) {
                throw new ConfigurationException(prefix + ".format", "'" + format + "' is not one of: raw, tar");
            }
            String suffix = settings.string(prefix + ".suffix", format.equals("tar") ? ".tar" : "");
            if (!suffix.isEmpty() && !suffix.matches("\\.[A-Za-z0-9._-]+")) {
                throw new ConfigurationException(prefix + ".suffix", "'" + suffix + "' is not a file suffix like .sql");
            }
            Compression compression = compression(prefix, "backup.command");
            String command = settings.required(prefix + ".command");
            sources.add(check(prefix + ".command",
                    () -> new CommandSource(name, host, command, suffix, format, compression)));
        }
        return sources;
    }

    private Compression compression(String prefix) {
        return compression(prefix, prefix);
    }

    /** {@code PREFIX.compression} and {@code PREFIX.compression-level}, defaulting to those under {@code fallback}. */
    private Compression compression(String prefix, String fallback) {
        String kindKey = prefix + ".compression";
        String levelKey = prefix + ".compression-level";
        String kindText = settings.optional(kindKey).orElseGet(() -> settings.required(fallback + ".compression"));
        Compression.Kind kind = SettingsReader.choice(kindKey, kindText, Compression.Kind.class);
        if (kind == Compression.Kind.NONE) {
            return Compression.none();
        }
        String effectiveLevelKey = settings.optional(levelKey).isPresent() ? levelKey : fallback + ".compression-level";
        return Compression.of(kind, settings.integer(effectiveLevelKey, 1, Compression.maxLevel(kind)));
    }

    List<SshTarget> hosts(String key) {
        List<SshTarget> hosts = new ArrayList<>();
        for (String text : list(key)) {
            hosts.add(host(key, text));
        }
        return hosts;
    }

    SshTarget host(String key, String text) {
        try {
            return SshTarget.parse(text, defaultUser, 22);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage() + " (write host, user@host or user@host:port)");
        }
    }

    List<String> list(String key) {
        return settings.optional(key).map(SourceSettings::splitList).orElse(List.of());
    }

    private static List<String> splitList(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String hostsKey(Source source) {
        return switch (source.kind()) {
            case "cassandra", "cassandra-schema" -> CASSANDRA_HOSTS;
            case "minio" -> MINIO_HOSTS;
            default -> WIRE_SERVER_HOST;
        };
    }

    private interface SourceFactory {
        Source create();
    }

    private static Source check(String key, SourceFactory factory) {
        try {
            return factory.create();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage());
        }
    }
}
