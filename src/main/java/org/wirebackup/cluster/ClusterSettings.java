package org.wirebackup.cluster;

import java.time.Duration;
import java.util.Optional;

import org.wirebackup.config.ConfigurationException;
import org.wirebackup.config.SettingsReader;

/**
 * {@code backup.cluster.*}: the PostgreSQL database that several instances share for the clustered schedule, the
 * run lock and the history. Off when {@code backup.cluster.jdbc-url} is empty.
 */
public record ClusterSettings(String jdbcUrl, String user, String password, Duration checkinInterval,
                              Duration lockTimeout) {

    public ClusterSettings(String jdbcUrl, String user, String password, Duration checkinInterval) {
        this(jdbcUrl, user, password, checkinInterval, checkinInterval.multipliedBy(4));
    }

    public static final String JDBC_URL = "backup.cluster.jdbc-url";
    /** How long an instance that holds the lock may stay silent before PostgreSQL ends its session, and the lock. */
    public static final String LOCK_TIMEOUT = "backup.cluster.lock-timeout";

    @Override
    public String toString() {
        return "ClusterSettings[" + jdbcUrl + ", user " + user + "]";
    }

    /** The cluster's settings, or empty when {@code backup.cluster.jdbc-url} is not set. */
    public static Optional<ClusterSettings> read(SettingsReader reader) {
        Duration checkin = reader.duration("backup.cluster.checkin-interval");
        if (checkin.toMillis() < 1000 || checkin.toMinutes() > 10) {
            throw new ConfigurationException("backup.cluster.checkin-interval", "must be between 1s and 10m, not "
                    + checkin);
        }
        Duration lockTimeout = reader.optional(LOCK_TIMEOUT).map(String::trim).filter(t -> !t.isEmpty())
                .map(t -> reader.duration(LOCK_TIMEOUT)).orElse(checkin.multipliedBy(4));
        if (lockTimeout.compareTo(checkin.multipliedBy(2)) < 0 || lockTimeout.toHours() >= 1) {
            throw new ConfigurationException(LOCK_TIMEOUT, "must be at least twice backup.cluster.checkin-interval ("
                    + checkin.multipliedBy(2) + ": the holder speaks once per check-in) and under 1h, not "
                    + lockTimeout);
        }
        Optional<String> url = reader.optional(JDBC_URL).map(String::trim).filter(u -> !u.isEmpty());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.get().startsWith("jdbc:postgresql://")) {
            throw new ConfigurationException(JDBC_URL, "must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB),"
                    + " not '" + url.get() + "'");
        }
        if (url.get().toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new ConfigurationException(JDBC_URL, "holds a password: give it in WIRE_BACKUP_CLUSTER_PASSWORD"
                    + " (the environment) instead");
        }
        String user = reader.optional("backup.cluster.user").map(String::trim).filter(u -> !u.isEmpty())
                .orElseThrow(() -> new ConfigurationException("backup.cluster.user",
                        "is required when " + JDBC_URL + " is set"));
        String password = reader.optional("backup.cluster.password").filter(p -> !p.isEmpty()).orElse(null);
        return Optional.of(new ClusterSettings(url.get(), user, password, checkin, lockTimeout));
    }
}
