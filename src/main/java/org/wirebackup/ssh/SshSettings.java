package org.wirebackup.ssh;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * How every SSH connection is made.
 *
 * @param commandTimeout the longest a remote command may run; the remote side is wrapped in {@code timeout} so it
 *                       dies then too
 */
public record SshSettings(Path knownHosts, List<KeyPair> identities, Duration connectTimeout, Duration authTimeout,
                          Duration commandTimeout) {

    public SshSettings {
        identities = List.copyOf(identities);
    }
}
