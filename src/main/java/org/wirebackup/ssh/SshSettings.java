package org.wirebackup.ssh;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * How every SSH connection is made.
 *
 * @param commandTimeout the longest a remote command may run, or null for no limit; the remote side is wrapped in
 *                       {@code timeout} so it dies then too
 * @param stallTimeout   how long a remote command may go without progress (no byte of input taken, none of output
 *                       given) before it is stopped, here and on the host
 */
public record SshSettings(Path knownHosts, List<KeyPair> identities, Duration connectTimeout, Duration authTimeout,
                          Duration commandTimeout, Duration stallTimeout) {

    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(30);

    public SshSettings {
        identities = List.copyOf(identities);
    }

    /** With the default stall timeout ({@link #DEFAULT_STALL_TIMEOUT}). */
    public SshSettings(Path knownHosts, List<KeyPair> identities, Duration connectTimeout, Duration authTimeout,
                       Duration commandTimeout) {
        this(knownHosts, identities, connectTimeout, authTimeout, commandTimeout, DEFAULT_STALL_TIMEOUT);
    }
}
