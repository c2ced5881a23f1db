package org.wirebackup.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.text.ParseException;
import java.util.List;

import org.quartz.CronExpression;
import org.wirebackup.source.Compression;
import org.wirebackup.source.Source;
import org.wirebackup.source.WireServerFolderSource;
import org.wirebackup.ssh.IdentityFiles;
import org.wirebackup.ssh.SshSettings;
import org.wirebackup.ssh.SshTarget;

/** Every setting of wire-backup, read and checked once at start-up. Keys are documented in application.properties. */
public record BackupSettings(Path backupDir, String cron, SshSettings ssh, List<Source> sources) {

    public static final String BACKUP_DIR = "backup.dir";
    public static final String ROUTES_DIR = "backup.routes-dir";
    public static final String SCHEDULE_CRON = "backup.schedule.cron";
    public static final String SSH_USER = "backup.ssh.user";
    public static final String SSH_IDENTITY_FILE = "backup.ssh.identity-file";
    public static final String SSH_IDENTITY_PASSPHRASE = "backup.ssh.identity-passphrase";
    public static final String SSH_KNOWN_HOSTS = "backup.ssh.known-hosts";
    public static final String SSH_CONNECT_TIMEOUT = "backup.ssh.connect-timeout";
    public static final String SSH_AUTH_TIMEOUT = "backup.ssh.auth-timeout";
    public static final String SSH_COMMAND_TIMEOUT = "backup.ssh.command-timeout";
    public static final String WIRE_SERVER_HOST = "backup.wire-server.host";
    public static final String WIRE_SERVER_PATH = "backup.wire-server.path";
    public static final String WIRE_SERVER_COMPRESSION = "backup.wire-server.compression";
    public static final String WIRE_SERVER_COMPRESSION_LEVEL = "backup.wire-server.compression-level";

    public BackupSettings {
        sources = List.copyOf(sources);
    }

    public static BackupSettings read(SettingsReader settings) {
        String cron = cron(settings);
        SshSettings ssh = ssh(settings);
        String defaultUser = settings.required(SSH_USER);
        List<Source> sources = List.of(wireServer(settings, defaultUser));
        settings.existingDirectory(ROUTES_DIR, "it holds the operator's YAML routes; create it, even empty");
        Path backupDir = settings.writableDirectory(BACKUP_DIR);
        return new BackupSettings(backupDir, cron, ssh, sources);
    }

    private static String cron(SettingsReader settings) {
        String cron = settings.required(SCHEDULE_CRON);
        try {
            new CronExpression(cron);
        } catch (ParseException e) {
            throw new ConfigurationException(SCHEDULE_CRON, "'" + cron + "' is not a Quartz cron expression ("
                    + e.getMessage() + "); it has six fields, seconds first: '0 0 * * * ?' is every hour");
        }
        return cron;
    }

    private static SshSettings ssh(SettingsReader settings) {
        Path knownHosts = settings.readableFile(SSH_KNOWN_HOSTS);
        Path identityFile = settings.readableFile(SSH_IDENTITY_FILE);
        List<KeyPair> identities;
        try {
            identities = IdentityFiles.load(identityFile, settings.optional(SSH_IDENTITY_PASSPHRASE).orElse(null));
        } catch (IOException e) {
            throw new ConfigurationException(SSH_IDENTITY_FILE, e.getMessage(), e);
        }
        return new SshSettings(knownHosts, identities, settings.duration(SSH_CONNECT_TIMEOUT),
                settings.duration(SSH_AUTH_TIMEOUT), settings.duration(SSH_COMMAND_TIMEOUT));
    }

    private static Source wireServer(SettingsReader settings, String defaultUser) {
        SshTarget host = host(settings, WIRE_SERVER_HOST, defaultUser);
        String path = settings.required(WIRE_SERVER_PATH);
        Compression compression = compression(settings, WIRE_SERVER_COMPRESSION, WIRE_SERVER_COMPRESSION_LEVEL);
        try {
            return new WireServerFolderSource(host, path, compression);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(WIRE_SERVER_PATH, e.getMessage());
        }
    }

    static SshTarget host(SettingsReader settings, String key, String defaultUser) {
        String value = settings.required(key);
        try {
            return SshTarget.parse(value, defaultUser, 22);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage() + " (write host, user@host or user@host:port)");
        }
    }

    static Compression compression(SettingsReader settings, String kindKey, String levelKey) {
        return switch (settings.choice(kindKey, Compression.Kind.class)) {
            case GZIP -> Compression.gzip(settings.integer(levelKey, 1, 9));
            case NONE -> Compression.none();
        };
    }
}
