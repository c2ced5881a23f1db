package org.wirebackup.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A stand-in Wire installation on this machine: an SSH server on 127.0.0.1 with generated keys, a sample wire-server
 * folder, and the settings file an operator would write for it. Nothing in it leaves loopback.
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

        Path wireServer = sampleWireServerFolder(dir.resolve("wire-host/home/wire/wire-server"));
        EmbeddedSshServer server = EmbeddedSshServer.start(0, hostKey, Set.of(clientKey.getPublic()), dir, List.of());
        Path knownHosts = keys.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");

        String user = System.getProperty("user.name");
        Path settings = dir.resolve("application.properties");
        Files.writeString(settings, String.join("\n",
                "# Written by `wire-backup demo`: an embedded SSH server on 127.0.0.1 stands in for the Wire host.",
                "backup.dir=" + dir.resolve("backups"),
                "backup.ssh.identity-file=" + identity,
                "backup.ssh.known-hosts=" + knownHosts,
                "backup.wire-server.host=" + user + "@127.0.0.1:" + server.port(),
                "backup.wire-server.path=" + wireServer,
                "backup.routes-dir=" + Files.createDirectories(dir.resolve("routes")),
                ""));
        return new DemoInstallation(dir, wireServer, settings, server);
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
