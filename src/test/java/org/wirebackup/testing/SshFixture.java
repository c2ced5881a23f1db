package org.wirebackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.ssh.SshSettings;
import org.wirebackup.ssh.SshTarget;

/** A real SSH server on loopback with fresh host and client keys, a known_hosts file and an identity file. */
public final class SshFixture implements AutoCloseable {

    public final Path dir;
    public final KeyPair clientKey = KeyMaterial.generateEcdsa();
    public final KeyPair hostKey = KeyMaterial.generateEcdsa();
    public final Path identityFile;
    public final Path knownHosts;
    public final EmbeddedSshServer server;

    private SshFixture(Path dir, List<String> commandPrefix) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        identityFile = dir.resolve("id_ecdsa");
        KeyMaterial.writePrivateKey(clientKey, identityFile, null);
        server = EmbeddedSshServer.start(0, hostKey, Set.of(clientKey.getPublic()), dir, commandPrefix);
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    }

    public static SshFixture start(Path dir) throws IOException {
        return new SshFixture(dir, List.of());
    }

    /**
     * A server whose commands cannot read past file permissions even when the tests run as root (CI does): root's
     * commands run with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped, as a non-root backup user would.
     */
    public static SshFixture startWithoutRootFileAccess(Path dir) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        return new SshFixture(dir, root
                ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")
                : List.of());
    }

    /**
     * A server whose commands find {@code binDir}'s programs first on their PATH: a real program's wrapper there
     * records how the host was used (e.g. which files were synced) and then runs the real one.
     */
    public static SshFixture startWithPathFirst(Path dir, Path binDir) throws IOException {
        return new SshFixture(dir, List.of("env", "PATH=" + binDir + ":" + System.getenv("PATH")));
    }

    public SshTarget target() {
        return new SshTarget(System.getProperty("user.name"), "127.0.0.1", server.port());
    }

    public String hostSpec() {
        return target().user() + "@127.0.0.1:" + server.port();
    }

    public SshSettings settings(Duration commandTimeout) {
        return new SshSettings(knownHosts, List.of(clientKey), Duration.ofSeconds(10), Duration.ofSeconds(10),
                commandTimeout);
    }

    /** No wall-clock limit (the default), the given stall timeout. */
    public SshSettings stallingAfter(Duration stallTimeout) {
        return new SshSettings(knownHosts, List.of(clientKey), Duration.ofSeconds(10), Duration.ofSeconds(10), null,
                stallTimeout);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
