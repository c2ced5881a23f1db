package org.wirebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TestInstallation;

/** A bad setting stops start-up with exit status 2 and one message that names the key; nothing runs. */
class ConfigurationErrorTest {

    @TempDir
    Path tmp;
    TestInstallation wire;

    @BeforeEach
    void start() throws IOException {
        wire = TestInstallation.create(tmp);
    }

    @AfterEach
    void stop() throws IOException {
        wire.close();
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("backup.wire-server.host", "", "no source to back up"),
                Arguments.of("backup.wire-server.host", "wire@", "does not name a host"),
                Arguments.of("backup.wire-server.host", "wire@host:ssh", "port that is not a number"),
                Arguments.of("backup.wire-server.path", "wire-server", "must be the absolute path"),
                Arguments.of("backup.ssh.identity-file", "/no/such/id_ed25519", "file /no/such/id_ed25519 does not exist"),
                Arguments.of("backup.ssh.known-hosts", "/no/such/known_hosts", "file /no/such/known_hosts does not exist"),
                Arguments.of("backup.schedule.cron", "0 * * * *", "is not a Quartz cron expression"),
                Arguments.of("backup.schedule.cron", "every hour", "is not a Quartz cron expression"),
                Arguments.of("backup.ssh.command-timeout", "forever", "is not a duration"),
                Arguments.of("backup.ssh.connect-timeout", "0s", "must be longer than zero"),
                Arguments.of("backup.ssh.stall-timeout", "0s", "must be longer than zero"),
                Arguments.of("backup.ssh.stall-timeout", "", "is not set"),
                Arguments.of("restore.cassandra.parallel-loads", "0", "must be between 1 and 64"),
                Arguments.of("backup.wire-server.compression", "bzip2", "is not one of: gzip, zstd, none"),
                Arguments.of("backup.wire-server.compression-level", "11", "must be between 1 and 9"),
                Arguments.of("backup.routes-dir", "/no/such/routes", "directory /no/such/routes does not exist"),
                Arguments.of("backup.capture.parallelism", "-1", "must be between 0 and 1000"),
                Arguments.of("backup.retention.keep", "-3", "must be between 0 and 100000"),
                Arguments.of("backup.retention.max-age", "a week", "is not a duration"),
                Arguments.of("backup.min-free-space", "lots", "is not a size"),
                Arguments.of("backup.keep-parts", "yes", "is not true or false"),
                Arguments.of("backup.alert.webhook.url", "hooks.example.com/x", "is not an http(s) URL"),
                Arguments.of("backup.alert.email.to", "ops at example.com", "is not an email address"),
                Arguments.of("backup.destination.retry-delay", "soon", "is not a duration"),
                Arguments.of("backup.cassandra.hosts", "wire@", "does not name a host"),
                Arguments.of("backup.minio.hosts", "m1,m1", "two sources would both be named 'minio-m1-minio-server1'"),
                Arguments.of("backup.commands", "pg dump", "'pg dump' is not a name"),
                Arguments.of("restore.wire-server.host", "wire@", "does not name a host"),
                Arguments.of("restore.wire-server.path", "home/wire", "must be the absolute path"),
                Arguments.of("restore.minio.dirs", "/var/lib/minio-server1", "is not RECORDED=NEW"),
                Arguments.of("restore.minio.dirs", "/var/lib/m1=/mnt/a,/var/lib/m1=/mnt/b", "is mapped twice"),
                Arguments.of("restore.cassandra.hosts", "cass@", "does not name a host"),
                Arguments.of("restore.cassandra.staging-dir", "tmp", "must be the absolute path"),
                Arguments.of("backup.drill.cron", "daily", "is not a Quartz cron expression"),
                Arguments.of("backup.drill.dir", "scratch", "must be the absolute path"),
                Arguments.of("backup.drill.host", "wire@", "does not name a host"),
                Arguments.of("backup.encryption.recipients", "age1notakey", "'age1notakey' is not an age X25519 public key"),
                Arguments.of("backup.encryption.recipients",
                        "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
                        "holds a private key (AGE-SECRET-KEY-...): give the public key"),
                Arguments.of("backup.encryption.recipients-file", "/no/such/recipients.txt",
                        "file /no/such/recipients.txt does not exist"),
                Arguments.of("backup.drill.identity-file", "/no/such/key.txt", "/no/such/key.txt is not a file"),
                Arguments.of("backup.cluster.jdbc-url", "jdbc:mysql://db/wire", "must be a PostgreSQL JDBC URL"),
                Arguments.of("backup.cluster.jdbc-url", "jdbc:postgresql://db/wire?password=x", "holds a password"),
                Arguments.of("backup.cluster.checkin-interval", "500ms", "must be between 1s and 10m"),
                Arguments.of("backup.cluster.password", "written-in-the-file", "is read from the environment only"));
    }

    @Test
    void anUnreachableClusterDatabaseStopsStartUpNamingTheKey() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        wire.set("backup.cluster.jdbc-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/wire_backup")
                .set("backup.cluster.user", "wire_backup");

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().findFirst().orElse(""))
                .startsWith("wire-backup: configuration error: backup.cluster.jdbc-url: the cluster database cannot be"
                        + " reached or prepared: ")
                .contains("Connection to 127.0.0.1:" + closedPort + " refused");
        assertThat(wire.backupDir.resolve("runs")).doesNotExist();
    }

    @Test
    void keptPartsAreRefusedWhenFullBackupsAreEncrypted() throws IOException {
        wire.set("backup.encryption.recipients", "age1l04rjrz47h90p9z5gc4c44c58zmvx9sz0jzwy8gu54z94hg0049q2ctjyh")
                .set("backup.keep-parts", "true");

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("backup.keep-parts: is true, but full backups are encrypted");
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badSettings")
    void badValueStopsStartUpNamingTheKey(String key, String value, String problem) throws IOException {
        wire.set(key, value);

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().findFirst().orElse(""))
                .startsWith("wire-backup: configuration error: " + key + ": ")
                .contains(problem);
        assertThat(wire.backupDir.resolve("runs")).doesNotExist();
    }

    static Stream<Arguments> badSourceSettings() {
        return Stream.of(
                Arguments.of("backup.cassandra.hosts", "c1", "backup.cassandra.keyspaces", "brig;drop", "is not a keyspace name"),
                Arguments.of("backup.cassandra.hosts", "c1", "backup.cassandra.data-dir", "data", "must be the absolute path"),
                Arguments.of("backup.cassandra.hosts", "c1", "backup.cassandra.compression-level", "20", "must be between 1 and 19"),
                Arguments.of("backup.cassandra.hosts", "c1", "backup.cassandra.allow-degraded", "maybe", "is not true or false"),
                Arguments.of("backup.minio.hosts", "m1", "backup.minio.dirs", "", "is not set, but backup.minio.hosts is"),
                Arguments.of("backup.commands", "postgres", "backup.command.postgres.host", "", "is not set"),
                Arguments.of("backup.commands", "postgres", "backup.command.postgres.format", "zip", "is not one of: raw, tar"),
                Arguments.of("backup.cluster.jdbc-url", "jdbc:postgresql://db/wire", "backup.cluster.user", "",
                        "is required when backup.cluster.jdbc-url is set"));
    }

    @ParameterizedTest(name = "{2}={3}")
    @MethodSource("badSourceSettings")
    void badSourceSettingStopsStartUpNamingTheKey(String enableKey, String enableValue, String key, String value,
                                                   String problem) throws IOException {
        wire.set(enableKey, enableValue);
        if (enableKey.equals("backup.commands")) {
            wire.set("backup.command.postgres.host", "db1").set("backup.command.postgres.command", "pg_dumpall");
        }
        wire.set(key, value);

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().findFirst().orElse(""))
                .startsWith("wire-backup: configuration error: " + key + ": ")
                .contains(problem);
    }

    static Stream<Arguments> misspelledKeys() {
        return Stream.of(
                Arguments.of("backup.minio.hots", "m1", "did you mean backup.minio.hosts?"),
                Arguments.of("backup.retention.kep", "3", "did you mean backup.retention.keep?"),
                Arguments.of("bakup.dir", "/srv/backups", "did you mean backup.dir?"),
                Arguments.of("restore.minio.dir", "/a=/b", "did you mean restore.minio.dirs?"),
                Arguments.of("backup.command.pg.host", "db1", "command 'pg', which backup.commands does not declare"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misspelledKeys")
    void keyThatNamesNoSettingStopsStartUpWithTheNearestKnownOne(String key, String value, String hint)
            throws IOException {
        wire.set(key, value);

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().findFirst().orElse(""))
                .startsWith("wire-backup: configuration error: " + key + ": ")
                .contains(hint);
        assertThat(wire.backupDir.resolve("runs")).doesNotExist();
    }

    @Test
    void settingsOfADeclaredCommandAndOperatorPlaceholdersAreAccepted() throws IOException {
        wire.set("backup.commands", "versions").set("backup.command.versions.host", wire.ssh.hostSpec())
                .set("backup.command.versions.command", "echo 1").set("backup.command.versions.compression", "none")
                .set("nfs.mount", "/mnt/nfs");

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @Test
    void fileThatIsNoPrivateKeyIsNamed() throws IOException {
        Path notAKey = Files.writeString(tmp.resolve("id_rsa"), "this is not a key\n");
        wire.set("backup.ssh.identity-file", notAKey.toString());

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("wire-backup: configuration error: backup.ssh.identity-file: identity file "
                + notAKey + " ");
    }

    @Test
    void encryptedKeyWithoutPassphraseSaysWhereThePassphraseGoes() throws IOException {
        Path encrypted = tmp.resolve("id_encrypted");
        org.wirebackup.demo.KeyMaterial.writePrivateKey(wire.ssh.clientKey, encrypted, "correct horse");
        wire.set("backup.ssh.identity-file", encrypted.toString());

        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("backup.ssh.identity-file", "WIRE_BACKUP_SSH_KEY_PASSPHRASE");
    }

    @Test
    void missingSettingsFileIsNamed() {
        Cli.Result result = Cli.run("backup", "--config", tmp.resolve("nope.properties").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("wire-backup: configuration error: --config: settings file "
                + tmp.resolve("nope.properties") + " does not exist");
    }

    @Test
    void unknownCommandLineArgumentIsAUsageError() {
        Cli.Result result = Cli.run("backup", "--no-such-option");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option: '--no-such-option'");
    }
}
