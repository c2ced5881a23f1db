package org.wirebackup.ssh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.session.ClientSession;
import org.wirebackup.io.DaemonThreads;

/**
 * The open SSH connections, reused for the steps of a run as OpenSSH's ControlMaster does: each command is a channel
 * of a connection to its host, so it pays no key exchange, authentication or login of its own (0.2-0.9 s each, measured
 * in issue 13). A connection carries at most {@link #MAX_CHANNELS} channels (OpenSSH's MaxSessions is 10) and at most
 * one bulk stream, so that two large streams from one host are not ciphered one after the other on one connection.
 * A connection without a channel for {@link #IDLE_SECONDS} is closed: none stays open from one run to the next.
 */
final class SshConnections {

    static final int MAX_CHANNELS = 8;
    static final long IDLE_SECONDS = 15;

    /** Opens a new authenticated connection. */
    @FunctionalInterface
    interface Opener {
        ClientSession open(SshTarget target) throws RemoteCommandException;
    }

    private final Opener opener;
    private final Map<SshTarget, List<Connection>> byTarget = new HashMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("ssh-idle-connections"));

    SshConnections(Opener opener) {
        this.opener = opener;
    }

    /** A channel's share of a connection, given back with {@link Lease#close()}. */
    final class Lease implements AutoCloseable {
        final ClientSession session;
        final boolean reused;
        private final Connection connection;
        private final boolean bulk;
        private boolean released;

        private Lease(Connection connection, boolean bulk, boolean reused) {
            this.connection = connection;
            this.session = connection.session;
            this.bulk = bulk;
            this.reused = reused;
        }

        /** This connection is no good (a channel could not be opened on it): no later command gets it. */
        void discard() {
            synchronized (SshConnections.this) {
                connection.broken = true;
            }
        }

        @Override
        public void close() {
            synchronized (SshConnections.this) {
                if (released) {
                    return;
                }
                released = true;
                connection.channels--;
                if (bulk) {
                    connection.bulk--;
                }
                if (connection.channels == 0) {
                    connection.idleSince = System.nanoTime();
                    if (connection.broken) {
                        drop(connection);
                    } else {
                        try {
                            reaper.schedule(() -> closeIfIdle(connection), IDLE_SECONDS, TimeUnit.SECONDS);
                        } catch (java.util.concurrent.RejectedExecutionException closing) {
                            drop(connection); // the runner is closing: nothing waits for this connection
                        }
                    }
                }
            }
        }
    }

    private static final class Connection {
        final SshTarget target;
        final ClientSession session;
        int channels;
        int bulk;
        long idleSince;
        boolean broken;

        Connection(SshTarget target, ClientSession session) {
            this.target = target;
            this.session = session;
        }
    }

    /** A connection to {@code target} with room for one more channel (a bulk stream: one without another). */
    Lease lease(SshTarget target, boolean bulk) throws RemoteCommandException {
        synchronized (this) {
            Lease reused = reuse(target, bulk);
            if (reused != null) {
                return reused;
            }
        }
        return leaseNew(target, bulk);
    }

    /** A new connection to {@code target}, for a channel that an open one refused. */
    Lease leaseNew(SshTarget target, boolean bulk) throws RemoteCommandException {
        ClientSession session = opener.open(target);
        synchronized (this) {
            Connection connection = new Connection(target, session);
            byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(connection);
            return take(connection, bulk, false);
        }
    }

    /** Under the lock: an open connection with room, or null. */
    private Lease reuse(SshTarget target, boolean bulk) {
        List<Connection> open = byTarget.computeIfAbsent(target, t -> new ArrayList<>());
        open.removeIf(c -> !c.session.isOpen() && c.channels == 0);
        for (Connection c : open) {
            if (c.session.isOpen() && !c.broken && c.channels < MAX_CHANNELS && (!bulk || c.bulk == 0)) {
                return take(c, bulk, true);
            }
        }
        return null;
    }

    private Lease take(Connection connection, boolean bulk, boolean reused) {
        connection.channels++;
        if (bulk) {
            connection.bulk++;
        }
        return new Lease(connection, bulk, reused);
    }

    private synchronized void closeIfIdle(Connection connection) {
        if (connection.channels == 0
                && System.nanoTime() - connection.idleSince >= TimeUnit.SECONDS.toNanos(IDLE_SECONDS) - 1) {
            drop(connection);
        }
    }

    private void drop(Connection connection) {
        List<Connection> open = byTarget.get(connection.target);
        if (open != null) {
            open.remove(connection);
        }
        connection.session.close(false);
    }

    /** Closes every connection (the runner is closing). */
    synchronized void closeAll() {
        reaper.shutdownNow();
        byTarget.values().forEach(list -> list.forEach(c -> c.session.close(true)));
        byTarget.clear();
    }
}
