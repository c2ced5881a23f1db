package org.wirebackup.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.wirebackup.crypto.AgeKeys;

/**
 * A stand-in Wire installation on this machine: an SSH server on 127.0.0.1 with generated keys, a sample wire-server
 * folder, a stand-in Cassandra node, two MinIO data directories, and the settings file an operator would write for
 * them. Nothing in it leaves loopback.
 */
public final class DemoInstallation implements AutoCloseable {

    private final Path dir;
    private final Path wireServerFolder;
    private final Path settingsFile;
    private final EmbeddedSshServer server;

    private DemoInstallation(Path dir, Path wireServerFolder, Path settingsFile, EmbeddedSshServer server) {
        this.dir = dir;
        this.wireServerFolder = wireServerFolder;
        this.settingsFile = settingsFile;
        this.server = server;
    }

    public static DemoInstallation create(Path dir) throws IOException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        KeyPair hostKey = KeyMaterial.generateEcdsa();
        KeyPair clientKey = KeyMaterial.generateEcdsa();
        Path identity = keys.resolve("id_ecdsa");
        KeyMaterial.writePrivateKey(clientKey, identity, null);
        Files.writeString(keys.resolve("id_ecdsa.pub"), KeyMaterial.publicKeyLine(clientKey.getPublic()) + "\n");
        Path ageIdentity = ageIdentityOf(dir);
        String ageRecipient = AgeKeys.generate(ageIdentity);

        Path wireServer = sampleWireServerFolder(dir.resolve("wire-host/home/wire/wire-server"));
        EmbeddedSshServer server = EmbeddedSshServer.start(0, hostKey, Set.of(clientKey.getPublic()), dir, List.of());
        Path knownHosts = keys.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");

        StandInCassandra cassandra = StandInCassandra.create(dir.resolve("cassandra-host"));
        Path minio1 = sampleMinioDir(dir.resolve("minio-host/var/lib/minio-server1"), "wire-assets");
        Path minio2 = sampleMinioDir(dir.resolve("minio-host/var/lib/minio-server2"), "wire-public");

        String host = System.getProperty("user.name") + "@127.0.0.1:" + server.port();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("backup-host.yaml"), String.join("\n",
                "# A destination: every verified full backup is copied to this SSH host, checked there, 24 kept.",
                "- route:",
                "    id: backup-host",
                "    group: wire-backup-destination",
                "    from:",
                "      uri: direct:destination-backup-host",
                "      steps:",
                "        - to:",
                "            uri: kamelet:backup-scp-sink",
                "            parameters:",
                "              host: \"" + host + "\"",
                "              directory: \"" + dir.resolve("backup-host/srv/wire-backups") + "\"",
                "              keep: 24",
                ""));
        Path settings = dir.resolve("application.properties");
        Files.writeString(settings, String.join("\n",
                "# Written by `wire-backup demo`: one embedded SSH server on 127.0.0.1 stands in for every Wire host.",
                "backup.dir=" + dir.resolve("backups"),
                "backup.routes-dir=" + routes,
                "backup.ssh.identity-file=" + identity,
                "backup.ssh.known-hosts=" + knownHosts,
                "# Every full backup is encrypted to this age public key (`wire-backup keygen`): keys/age-key.txt is",
                "# the identity that reads them. On a real backup host, keep identities elsewhere (README's Encryption).",
                "backup.encryption.recipients=" + ageRecipient,
                "backup.wire-server.host=" + host,
                "backup.wire-server.path=" + wireServer,
                "# The demo's Cassandra node is a STAND-IN (a nodetool script over a Cassandra-shaped data directory):",
                "# it has no CQL, so the keyspace schema is not captured here.",
                "backup.cassandra.hosts=" + host,
                "backup.cassandra.data-dir=" + cassandra.dataDir,
                "backup.cassandra.nodetool=" + cassandra.nodetool,
                "backup.cassandra.config-file=" + cassandra.configFile,
                "backup.cassandra.schema=false",
                "backup.minio.hosts=" + host,
                "backup.minio.dirs=" + minio1 + "," + minio2,
                "backup.commands=installed-versions",
                "backup.command.installed-versions.host=" + host,
                "backup.command.installed-versions.command=uname -a; tar --version | head -1",
                "backup.command.installed-versions.suffix=.txt",
                "backup.command.installed-versions.compression=none",
                "# `restore` puts the backup into fresh directories, as on a new installation:",
                "restore.wire-server.path=" + restoredOf(dir, wireServer),
                "restore.minio.dirs=" + minio1 + "=" + restoredOf(dir, minio1) + "," + minio2 + "=" + restoredOf(dir, minio2),
                "# `drill` fetches the newest copy from the backup host and proves it restores, in scratch space:",
                "backup.drill.from=backup-host",
                "backup.drill.host=" + host,
                "backup.drill.dir=" + Files.createDirectories(dir.resolve("scratch-host/var/tmp/wire-drill")),
                "backup.drill.identity-file=" + ageIdentity,
                ""));
        return new DemoInstallation(dir, wireServer, settings, server);
    }

    /** The age identity that decrypts the demo's full backups. */
    public static Path ageIdentityOf(Path dir) {
        return dir.resolve("keys/age-key.txt");
    }

    /** Where the demo's restore puts a directory of the demo installation: the same path under restored/. */
    public static Path restoredOf(Path dir, Path original) {
        return dir.resolve("restored").resolve(dir.relativize(original));
    }

    /** The directories a restore brings back: the wire-server folder and the MinIO data directories. */
    public List<Path> restoredDirectories() {
        return List.of(wireServerFolder, dir.resolve("minio-host/var/lib/minio-server1"),
                dir.resolve("minio-host/var/lib/minio-server2"));
    }

    private static Path sampleWireServerFolder(Path folder) throws IOException {
        SecureRandom random = new SecureRandom();
        Files.createDirectories(folder.resolve("values/wire-server"));
        Files.createDirectories(folder.resolve("ansible/inventory/prod"));
        Files.writeString(folder.resolve("values/wire-server/values.yaml"),
                "brig:\n  config:\n    externalUrls:\n      nginz: https://nginz-https.example.com\n"
                        + "cassandra:\n  host: cassandra-external\n");
        Files.writeString(folder.resolve("values/wire-server/secrets.yaml"),
                "brig:\n  secrets:\n    zAuth:\n      privateKeys: " + HexFormat.of().formatHex(random.generateSeed(32))
                        + "\n    turn:\n      secret: " + HexFormat.of().formatHex(random.generateSeed(16)) + "\n");
        Files.writeString(folder.resolve("ansible/inventory/prod/hosts.ini"),
                "[cassandra]\ncassandra1 ansible_host=10.0.0.11\n\n[minio]\nminio1 ansible_host=10.0.0.21\n");
        return folder;
    }

    private static Path sampleMinioDir(Path dir, String bucket) throws IOException {
        SecureRandom random = new SecureRandom();
        Files.createDirectories(dir.resolve(".minio.sys"));
        Files.writeString(dir.resolve(".minio.sys/format.json"), "{\"version\":\"1\",\"format\":\"xl-single\"}\n");
        Files.createDirectories(dir.resolve(bucket));
        for (int i = 0; i < 3; i++) {
            byte[] asset = new byte[50_000];
            random.nextBytes(asset);
            Files.write(dir.resolve(bucket).resolve("3-2-" + HexFormat.of().formatHex(random.generateSeed(8))), asset);
        }
        return dir;
    }

    public Path dir() {
        return dir;
    }

    public Path wireServerFolder() {
        return wireServerFolder;
    }

    public Path settingsFile() {
        return settingsFile;
    }

    public int sshPort() {
        return server.port();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
