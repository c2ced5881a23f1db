package org.wirebackup.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;

/**
 * An SSH server on 127.0.0.1 (Apache MINA SSHD) that runs each command through /bin/sh, so real tar and gzip run:
 * the remote hosts of the demo and the tests. Key authentication only, for the given client keys.
 */
public final class EmbeddedSshServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    private EmbeddedSshServer(SshServer server, KeyPair hostKey) {
        this.server = server;
        this.hostKey = hostKey;
        server.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
            @Override
            public void sessionCreated(org.apache.sshd.common.session.Session session) {
                connections.incrementAndGet();
            }
        });
    }

    /** How many SSH connections clients have opened to this server so far. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /**
     * @param port          0 for any free port
     * @param commandPrefix words put before {@code /bin/sh -c COMMAND} (e.g. to drop privileges); usually empty
     */
    public static EmbeddedSshServer start(int port, KeyPair hostKey, Set<PublicKey> clientKeys,
                                          Path workingDirectory, List<String> commandPrefix) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator(new KeySetPublickeyAuthenticator("wire-backup-demo", clientKeys));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE); // like OpenSSH's AllowTcpForwarding yes
        List<String> prefix = List.copyOf(commandPrefix);
        server.setCommandFactory((channel, command) -> new ShellProcessCommand(command, prefix, workingDirectory));
        server.start();
        return new EmbeddedSshServer(server, hostKey);
    }

    public static EmbeddedSshServer start(KeyPair hostKey, Set<PublicKey> clientKeys, Path workingDirectory)
            throws IOException {
        return start(0, hostKey, clientKeys, workingDirectory, List.of());
    }

    public int port() {
        return server.getPort();
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The line an operator would add to known_hosts for this server. */
    public String knownHostsLine() {
        return KeyMaterial.knownHostsLine("127.0.0.1", port(), hostKey());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
