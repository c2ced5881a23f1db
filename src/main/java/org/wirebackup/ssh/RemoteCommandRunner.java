package org.wirebackup.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.wirebackup.io.DaemonThreads;
import org.wirebackup.io.DurableFiles;
import org.wirebackup.io.HashingFileOutput;
import org.wirebackup.io.Progress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs commands on remote hosts over SSH (Apache MINA SSHD) with strict host keys and key authentication, streaming
 * stdout to the caller and keeping only a bounded tail of stderr.
 */
public final class RemoteCommandRunner implements AutoCloseable {

    /** GNU timeout's status when it had to stop the command. */
    static final int TIMEOUT_EXIT_STATUS = 124;
    private static final Duration KILL_AFTER = Duration.ofSeconds(10);
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(5);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RemoteCommandRunner.class);
    private static final int STDERR_TAIL_BYTES = 8 * 1024;
    private static final int STDIN_CHUNK = 1024 * 1024;
    private static final ScheduledExecutorService STALL_CHECKS = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("ssh-stall-watch"));

    // AES runs on the CPU's AES instructions; MINA's chacha20 is pure Java (about 0.4x OpenSSH's speed here).
    private static final List<NamedFactory<Cipher>> CIPHERS = List.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);

    private final SshSettings settings;
    private final SshClient client;
    private final StrictHostKeyVerifier hostKeys;
    private final Set<ClientSession> openSessions = ConcurrentHashMap.newKeySet();
    private final SshConnections connections = new SshConnections(this::openSession);
    private volatile String stopping;

    public RemoteCommandRunner(SshSettings settings) {
        CipherWarmUp.startInBackground();
        this.settings = settings;
        this.client = SshClient.setUpDefaultClient();
        this.hostKeys = new StrictHostKeyVerifier(settings.knownHosts());
        client.setServerKeyVerifier(hostKeys);
        // never read ~/.ssh/config or default identities: only what the settings say
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setCipherFactories(CIPHERS);
        // OpenSSH's own session window (CHAN_SES_WINDOW_DEFAULT). A larger one lets sshd queue more output while a
        // fresh JVM still decrypts slowly, and sshd's buffers grow by copying: with 8 MiB a cold 1 GiB capture from
        // Debian's OpenSSH took 7-11 s against 3.5-4 s (sshd at 100% CPU in memmove, tar waiting).
        CoreModuleProperties.WINDOW_SIZE.set(client, 2L * 1024 * 1024);
        client.start();
    }

    /**
     * Runs the command and streams its stdout into {@code target}: written as {@code target.partial}, synced and
     * renamed only when the command exited with status 0. On any failure the partial file is removed.
     */
    public StreamedFile streamToFile(SshTarget target, String command, Path file) throws RemoteCommandException {
        Path partial = DurableFiles.partialOf(file);
        CommandResult result;
        HashingFileOutput.Written written;
        Progress progress = new Progress("capturing " + file.getFileName() + " from " + target, -1, PROGRESS_INTERVAL,
                LOG::info);
        try (HashingFileOutput fileOut = new HashingFileOutput(partial).reporting(progress)) {
            result = execute(target, command, InputStream.nullInputStream(), fileOut, true);
            written = fileOut.finish();
        } catch (RemoteCommandException e) {
            deleteQuietly(partial);
            throw e;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new LocalWriteException(target, "writing " + partial + " here failed: " + e.getMessage(), e);
        }
        try {
            DurableFiles.moveIntoPlace(partial, file);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new RemoteCommandException(target, "cannot put " + file + " in place: " + e.getMessage(), e);
        }
        return new StreamedFile(file, written.bytes(), written.sha256(), result.exitStatus(), result.stderrTail(),
                result.duration());
    }

    /**
     * Runs a command whose output is small (a status table, a list of paths) and returns that output.
     *
     * @throws RemoteCommandException as {@link #execute}, and when the output exceeds {@code maxBytes}
     */
    public String runForText(SshTarget target, String command, int maxBytes) throws RemoteCommandException {
        BoundedOutput out = new BoundedOutput(maxBytes);
        CommandResult result = execute(target, command, InputStream.nullInputStream(), out, false);
        if (out.overflowed()) {
            throw new RemoteCommandException(target, "command printed more than " + maxBytes + " bytes", 0,
                    result.stderrTail(), null);
        }
        return out.text();
    }

    /** Work done through a tunnel: gets the local address that reaches the remote port. */
    @FunctionalInterface
    public interface TunnelWork<T> {
        T apply(InetSocketAddress local) throws Exception;
    }

    /**
     * Opens a local port forward through {@code target} to {@code remoteHost:remotePort} (as {@code ssh -L}), on
     * 127.0.0.1 and a free port, for the time {@code work} runs.
     */
    public <T> T throughTunnel(SshTarget target, String remoteHost, int remotePort, TunnelWork<T> work)
            throws RemoteCommandException {
        try (SshConnections.Lease lease = connections.lease(target, false);
             ExplicitPortForwardingTracker tunnel = lease.session.createLocalPortForwardingTracker(
                     new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(remoteHost, remotePort))) {
            SshdSocketAddress bound = tunnel.getBoundAddress();
            return work.apply(new InetSocketAddress(bound.getHostName(), bound.getPort()));
        } catch (RemoteCommandException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteCommandException(target, "through a tunnel to " + remoteHost + ":" + remotePort + ": "
                    + describe(e), e);
        }
    }

    /**
     * Runs the command (wrapped so the remote side dies at the command timeout), feeding it {@code stdin} and
     * streaming its stdout to {@code stdout}.
     *
     * @return the result of a command that exited with status 0
     * @throws RemoteCommandException when the connection, the host key, authentication or the command fails
     */
    public CommandResult execute(SshTarget target, String command, InputStream stdin, OutputStream stdout)
            throws RemoteCommandException {
        return execute(target, command, stdin, stdout, true);
    }

    private CommandResult execute(SshTarget target, String command, InputStream stdin, OutputStream stdout,
                                  boolean bulk) throws RemoteCommandException {
        long started = System.nanoTime();
        Duration timeout = settings.commandTimeout();
        String marker = "wire-backup-command-" + UUID.randomUUID();
        GuardedOutput guardedOut = new GuardedOutput(stdout);
        StderrTail stderr = new StderrTail(STDERR_TAIL_BYTES);
        AtomicReference<ChannelExec> running = new AtomicReference<>();
        try (StallWatch watch = new StallWatch(STALL_CHECKS, settings.stallTimeout(), () -> closeIfOpen(running));
             SshConnections.Lease lease = connections.lease(target, bulk);
             ChannelExec channel = openChannel(target, lease, withRemoteTimeout(command, timeout, marker),
                     watch.watching(guardedOut), watch.watching(stderr), bulk)) {
            running.set(channel);
            if (watch.stalled()) {
                channel.close(true);
            }
            StdinFailure stdinFailure = feed(stdin, channel, watch);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                    timeout == null ? null : timeout.plus(KILL_AFTER).plus(CLIENT_GRACE));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (watch.stalled()) {
                String stopped = stopOnHost(target, marker);
                throw new RemoteCommandException(target, "made no progress for " + human(watch.limit())
                        + " (backup.ssh.stall-timeout: no byte taken or given), so it was stopped" + stopped, null,
                        stderr.text(), null);
            }
            if (stdinFailure != null && stdinFailure.local()) {
                throw new RemoteCommandException(target, "reading the command's input here failed: "
                        + stdinFailure.cause().getMessage(), null, stderr.text(), stdinFailure.cause());
            }
            if (guardedOut.failure() != null) {
                throw new LocalWriteException(target, "writing the command's output here failed: "
                        + guardedOut.failure().getMessage(), guardedOut.failure());
            }
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                channel.close(true);
                throw new RemoteCommandException(target, "command timed out after " + human(timeout)
                        + " and did not end; the connection was closed", null, stderr.text(), null);
            }
            Integer exit = channel.getExitStatus();
            if (exit == null && stopping != null) {
                throw new RemoteCommandException(target, "ended: " + stopping, null, stderr.text(), null);
            }
            if (exit == null) {
                String signal = channel.getExitSignal();
                throw new RemoteCommandException(target, signal != null
                        ? "command was killed by signal " + signal
                        : "command ended without an exit status (connection lost?)", null, stderr.text(), null);
            }
            if (exit == TIMEOUT_EXIT_STATUS && timeout != null) {
                throw new RemoteCommandException(target, "command timed out after " + human(timeout)
                        + " and was stopped on the remote host", exit, stderr.text(), null);
            }
            if (exit != 0) {
                throw new RemoteCommandException(target, "command exited with status " + exit, exit,
                        stderr.text(), null);
            }
            if (stdinFailure != null) {
                throw new RemoteCommandException(target, "sending the command its input failed: "
                        + describe(stdinFailure.cause()), null, stderr.text(), stdinFailure.cause());
            }
            return new CommandResult(exit, stderr.text(), took);
        } catch (RemoteCommandException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RemoteCommandException(target, "SSH failed: " + describe(e), null, stderr.text(), e);
        }
    }

    /**
     * An exec channel on the leased connection. A reused connection that refuses it (the host's MaxSessions reached,
     * or the host dropped it meanwhile: an idle limit, a restart of sshd) takes no more channels, and this one is opened
     * on a new connection: nothing of the command has run yet.
     */
    private ChannelExec openChannel(SshTarget target, SshConnections.Lease lease, String command, OutputStream out,
                                    OutputStream err, boolean bulk) throws IOException, RemoteCommandException {
        try {
            return openChannel(lease.session, command, out, err);
        } catch (IOException | RuntimeException e) {
            if (!lease.reused || stopping != null) {
                throw e;
            }
            lease.discard();
            LOG.debug("a reused connection to {} failed to open a channel ({}); connecting again", target, describe(e));
            SshConnections.Lease fresh = connections.leaseNew(target, bulk);
            try {
                ChannelExec channel = openChannel(fresh.session, command, out, err);
                channel.addCloseFutureListener(f -> fresh.close());
                return channel;
            } catch (IOException | RuntimeException again) {
                fresh.close();
                throw again;
            }
        }
    }

    private ChannelExec openChannel(ClientSession session, String command, OutputStream out, OutputStream err)
            throws IOException {
        ChannelExec channel = session.createExecChannel(command);
        channel.setOut(out);
        channel.setErr(err);
        try {
            channel.open().verify(settings.authTimeout());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close(true);
            throw e;
        }
    }

    /** Why the input did not all reach the command: reading it here ({@code local}), or sending it. */
    private record StdinFailure(boolean local, IOException cause) {
    }

    /**
     * Writes the input into the channel in large chunks, then closes it so that the command sees its end. MINA's own
     * pump ({@code setIn}) moves about half as many bytes per second (measured: bench/copy-throughput.sh). Input that
     * cannot be read here aborts the channel instead: an end of input would let the command finish on half the data.
     */
    private static StdinFailure feed(InputStream stdin, ChannelExec channel, StallWatch watch) {
        byte[] buffer = new byte[STDIN_CHUNK];
        OutputStream toCommand = channel.getInvertedIn();
        while (true) {
            int n;
            try {
                n = stdin.read(buffer);
            } catch (IOException e) {
                channel.close(true);
                return new StdinFailure(true, e);
            }
            try {
                if (n < 0) {
                    toCommand.close();
                    return null;
                }
                toCommand.write(buffer, 0, n);
                watch.progressed();
            } catch (IOException e) {
                return new StdinFailure(false, e);
            }
        }
    }

    private ClientSession openSession(SshTarget target) throws RemoteCommandException {
        if (stopping != null) {
            throw new RemoteCommandException(target, "not started: " + stopping, null);
        }
        ClientSession session;
        try {
            session = client.connect(target.user(), target.host(), target.port())
                    .verify(settings.connectTimeout()).getSession();
        } catch (IOException | RuntimeException e) {
            // only a connection that did not come about in time is about the timeout; a refusal came at once
            throw new RemoteCommandException(target, "cannot connect to " + target.host() + ":" + target.port()
                    + (timedOut(e) ? " within " + human(settings.connectTimeout()) + " (backup.ssh.connect-timeout)" : "")
                    + ": " + describe(e), e);
        }
        try {
            for (KeyPair identity : settings.identities()) {
                session.addPublicKeyIdentity(identity);
            }
            session.auth().verify(settings.authTimeout());
            hostKeys.rejection(session);
            track(session);
            return session;
        } catch (IOException | RuntimeException e) {
            String rejection = hostKeys.rejection(session);
            closeQuietly(session);
            if (rejection != null) {
                throw new HostKeyRejectedException(target, "refused " + target + ": " + rejection, e);
            }
            if (!session.isAuthenticated() && timedOut(e)) {
                throw new RemoteCommandException(target, "no SSH login on " + target + " within "
                        + human(settings.authTimeout()) + " (backup.ssh.auth-timeout): the host accepted the connection "
                        + "but did not finish the SSH handshake; is it an SSH server, and is it overloaded?", e);
            }
            throw new RemoteCommandException(target, "authentication as " + target.user() + " on " + target
                    + " failed (is the public key in that user's authorized_keys?): " + describe(e), e);
        }
    }

    /**
     * The command as sent: run by sh under GNU timeout, which stops the whole process group at the limit (0: none) or
     * when it is sent a signal itself. The marker in timeout's own command line names it on the host for
     * {@link #stopOnHost} (env puts it in the command's environment, so the command and its messages are as before).
     */
    static String withRemoteTimeout(String command, Duration timeout, String marker) {
        return "timeout -k " + KILL_AFTER.toSeconds() + " " + (timeout == null ? 0 : Math.max(1, timeout.toSeconds()))
                + " env WIRE_BACKUP_COMMAND=" + marker + " sh -c " + ShellQuoting.quote(command);
    }

    /**
     * Stops a command that stalled on its host: closing the channel ends no process that neither reads nor writes
     * (a hung disk, a stuck loader), so its {@code timeout} is sent TERM, which passes it to the command's whole
     * process group (and KILL after {@code -k}). Says how that went, for the failure's message.
     */
    private String stopOnHost(SshTarget target, String marker) {
        // [w]ire: the pattern does not match the command line of the shell that runs pkill itself
        String pattern = "[w]" + marker.substring(1);
        try (SshConnections.Lease lease = connections.lease(target, false);
             ChannelExec kill = lease.session.createExecChannel("pkill -TERM -f -- " + ShellQuoting.quote(pattern)
                     + "; s=$?; [ $s -le 1 ] || exit $s")) {
            kill.open().verify(settings.authTimeout());
            kill.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), settings.authTimeout());
            // pkill: 0 signalled, 1 nothing left to signal (it ended meanwhile); anything else (127: no pkill) failed
            if (!Integer.valueOf(0).equals(kill.getExitStatus())) {
                LOG.warn("could not stop the stalled command on {}: pkill ended with {}", target, kill.getExitStatus());
                return "; stopping it on the host failed too (pkill ended with " + kill.getExitStatus()
                        + "; is procps installed?): look for " + marker + " there";
            }
            return " on the host too";
        } catch (IOException | RuntimeException | RemoteCommandException e) {
            LOG.warn("could not stop the stalled command on {}: {}", target, describe(e));
            return "; stopping it on the host failed too (" + describe(e) + "): look for " + marker + " there";
        }
    }

    private static void closeIfOpen(AtomicReference<ChannelExec> running) {
        ChannelExec channel = running.get();
        if (channel != null) {
            channel.close(true);
        }
    }

    /**
     * Ends every command under way (wire-backup is stopping): their sessions are closed, which ends the remote side
     * too (its output pipe closes; {@code timeout -k} stops the rest), and no new command starts.
     */
    public void stopAll(String why) {
        stopping = why;
        for (ClientSession session : openSessions) {
            session.close(true);
        }
    }

    private void track(ClientSession session) {
        openSessions.add(session);
        session.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
            @Override
            public void sessionClosed(org.apache.sshd.common.session.Session closed) {
                openSessions.remove(session);
            }
        });
        if (stopping != null) {
            session.close(true);
        }
    }

    @Override
    public void close() {
        connections.closeAll();
        client.stop();
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || String.valueOf(t.getMessage()).contains("within specified timeout")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause says what happened ("Connection refused"); the wrappers around it only repeat it. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the .partial name already says it is no backup
        }
    }

    private static void closeQuietly(ClientSession session) {
        try {
            session.close();
        } catch (IOException ignored) {
            // closing a failed session
        }
    }
}
