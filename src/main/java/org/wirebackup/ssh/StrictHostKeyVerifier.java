package org.wirebackup.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Accepts a server only when known_hosts holds the very key it presents. An unknown or changed key is refused
 * and never written back; the reason, naming host and fingerprint, is left on the session for the caller.
 */
final class StrictHostKeyVerifier implements ServerKeyVerifier {

    static final AttributeKey<String> REJECTION = new AttributeKey<>();

    private final Path knownHosts;
    private final KnownHostsServerKeyVerifier delegate;

    StrictHostKeyVerifier(Path knownHosts) {
        this.knownHosts = knownHosts;
        this.delegate = new KnownHostsServerKeyVerifier(this::rejectUnknown, knownHosts);
        this.delegate.setModifiedServerKeyAcceptor(this::rejectChanged);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        return delegate.verifyServerKey(session, remoteAddress, serverKey);
    }

    private boolean rejectUnknown(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        session.setAttribute(REJECTION, "host key " + describe(serverKey) + " of " + remoteAddress
                + " is not in known_hosts " + knownHosts
                + "; check the fingerprint with the host's administrator, then add the key (e.g. ssh-keyscan -p PORT HOST >> "
                + knownHosts + ")");
        return false;
    }

    private boolean rejectChanged(ClientSession session, SocketAddress remoteAddress, KnownHostEntry entry,
                                  PublicKey expected, PublicKey actual) {
        session.setAttribute(REJECTION, "host key of " + remoteAddress + " has CHANGED: known_hosts " + knownHosts
                + " has " + describe(expected) + " but the server presented " + describe(actual)
                + "; refusing to connect (a reinstalled host, or someone in the middle)");
        return false;
    }

    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
