package org.wirebackup.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Accepts a server only when known_hosts holds the very key it presents. An unknown or changed key is refused
 * and never written back; the reason, naming host and fingerprint, is kept for the caller ({@link #rejection}).
 * Not on the session itself: MINA clears a session's attributes when it closes the failed session, which races
 * with the caller reading them.
 */
final class StrictHostKeyVerifier implements ServerKeyVerifier {

    private final Map<ClientSession, String> rejections = new ConcurrentHashMap<>();
    private final Path knownHosts;
    private final KnownHostsServerKeyVerifier delegate;

    StrictHostKeyVerifier(Path knownHosts) {
        this.knownHosts = knownHosts;
        this.delegate = new KnownHostsServerKeyVerifier(this::rejectUnknown, knownHosts);
        this.delegate.setModifiedServerKeyAcceptor(this::rejectChanged);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        boolean accepted = delegate.verifyServerKey(session, remoteAddress, serverKey);
        if (!accepted) {
            rejections.putIfAbsent(session, "host key " + describe(serverKey) + " of " + remoteAddress
                    + " was not accepted by known_hosts " + knownHosts + " (marked revoked, or the file is unreadable)");
        }
        return accepted;
    }

    /** Why the session's server was refused, or null; forgets it. */
    String rejection(ClientSession session) {
        return rejections.remove(session);
    }

    private boolean rejectUnknown(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        rejections.put(session, "host key " + describe(serverKey) + " of " + remoteAddress
                + " is not in known_hosts " + knownHosts
                + "; check the fingerprint with the host's administrator, then add the key (e.g. ssh-keyscan -p PORT HOST >> "
                + knownHosts + ")");
        return false;
    }

    private boolean rejectChanged(ClientSession session, SocketAddress remoteAddress, KnownHostEntry entry,
                                  PublicKey expected, PublicKey actual) {
        rejections.put(session, "host key of " + remoteAddress + " has CHANGED: known_hosts " + knownHosts
                + " has " + describe(expected) + " but the server presented " + describe(actual)
                + "; refusing to connect (a reinstalled host, or someone in the middle)");
        return false;
    }

    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
