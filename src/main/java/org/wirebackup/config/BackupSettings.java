package org.wirebackup.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.quartz.CronExpression;
import org.wirebackup.crypto.AgeRecipients;
import org.wirebackup.source.Source;
import org.wirebackup.ssh.IdentityFiles;
import org.wirebackup.ssh.SshSettings;

/** Every setting of wire-backup, read and checked once at start-up. Keys are documented in application.properties. */
public record BackupSettings(Path backupDir, String cron, SshSettings ssh, List<Source> sources,
                             int captureParallelism, boolean keepParts, int retentionKeep, Duration retentionMaxAge,
                             OptionalLong minFreeSpace, String sshUser, int destinationRetries,
                             Duration destinationRetryDelay, String installationId, AgeRecipients encryption) {

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
    public static final String SSH_STALL_TIMEOUT = "backup.ssh.stall-timeout";
    public static final String CAPTURE_PARALLELISM = "backup.capture.parallelism";
    public static final String KEEP_PARTS = "backup.keep-parts";
    public static final String RETENTION_KEEP = "backup.retention.keep";
    public static final String RETENTION_MAX_AGE = "backup.retention.max-age";
    public static final String MIN_FREE_SPACE = "backup.min-free-space";
    public static final String DESTINATION_RETRIES = "backup.destination.retries";
    public static final String DESTINATION_RETRY_DELAY = "backup.destination.retry-delay";
    public static final String INSTALLATION_ID = "backup.installation-id";
    public static final String ENCRYPTION_RECIPIENTS = "backup.encryption.recipients";
    public static final String ENCRYPTION_RECIPIENTS_FILE = "backup.encryption.recipients-file";

    public BackupSettings {
        sources = List.copyOf(sources);
    }

    public static BackupSettings read(SettingsReader settings) {
        String cron = cron(settings);
        SshSettings ssh = ssh(settings);
        String defaultUser = settings.required(SSH_USER);
        List<Source> sources = new SourceSettings(settings, defaultUser).read();
        int parallelism = settings.integer(CAPTURE_PARALLELISM, 0, 1000);
        new RouteFilesCheck(settings.existingDirectory(ROUTES_DIR,
                "it holds the operator's YAML routes; create it, even empty")).check();
        Path backupDir = settings.writableDirectory(BACKUP_DIR);
        AgeRecipients encryption = encryption(settings);
        boolean keepParts = settings.bool(KEEP_PARTS);
        if (keepParts && encryption.enabled()) {
            throw new ConfigurationException(KEEP_PARTS, "is true, but full backups are encrypted ("
                    + ENCRYPTION_RECIPIENTS + "): kept parts would leave the data in plaintext in backup.dir; set it"
                    + " false");
        }
        return new BackupSettings(backupDir, cron, ssh, sources, parallelism == 0 ? sources.size() : parallelism,
                keepParts, settings.integer(RETENTION_KEEP, 0, 100_000),
                settings.optionalDuration(RETENTION_MAX_AGE).orElse(null), settings.optionalSize(MIN_FREE_SPACE),
                defaultUser, settings.integer(DESTINATION_RETRIES, 0, 100), settings.duration(DESTINATION_RETRY_DELAY),
                InstallationId.of(settings, INSTALLATION_ID, sources), encryption);
    }

    private static AgeRecipients encryption(SettingsReader settings) {
        List<String> keys = new java.util.ArrayList<>(AgeRecipients.parse(ENCRYPTION_RECIPIENTS,
                settings.optional(ENCRYPTION_RECIPIENTS).orElse("")).keys());
        if (settings.optional(ENCRYPTION_RECIPIENTS_FILE).isPresent()) {
            keys.addAll(AgeRecipients.readFile(ENCRYPTION_RECIPIENTS_FILE,
                    settings.readableFile(ENCRYPTION_RECIPIENTS_FILE)).keys());
        }
        return new AgeRecipients(keys);
    }

    private static String cron(SettingsReader settings) {
        return quartzCron(SCHEDULE_CRON, settings.required(SCHEDULE_CRON));
    }

    /** A Quartz cron expression, or the error naming its key. */
    static String quartzCron(String key, String cron) {
        try {
            new CronExpression(cron);
        } catch (ParseException e) {
            throw new ConfigurationException(key, "'" + cron + "' is not a Quartz cron expression ("
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
                settings.duration(SSH_AUTH_TIMEOUT), settings.optionalDuration(SSH_COMMAND_TIMEOUT).orElse(null),
                settings.duration(SSH_STALL_TIMEOUT));
    }
}
