package org.wirebackup.alert;

import org.wirebackup.ssh.HostKeyRejectedException;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.LocalWriteException;

/** What an operator should look at first, for each way a remote step fails. */
public final class Hints {

    private Hints() {
    }

    public static String forRemoteFailure(RemoteCommandException e) {
        if (e instanceof LocalWriteException) {
            return "the disk under backup.dir on this host: is it full (df -h), read-only, or failing (kernel log)?";
        }
        if (e instanceof HostKeyRejectedException) {
            return "check the host key fingerprint with the host's administrator; only then update backup.ssh.known-hosts";
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("cannot connect")) {
            return "is the host up and sshd listening on that port? is a firewall in the way?";
        }
        if (message.startsWith("no SSH login")) {
            return "the port answers but no SSH handshake completes: check that sshd listens there and the host's load";
        }
        if (message.startsWith("authentication")) {
            return "add the public key of backup.ssh.identity-file to ~/.ssh/authorized_keys of that user on the host";
        }
        if (message.contains("made no progress")) {
            return "the host stopped reading or writing: check its disk and load, and what the command waits for"
                    + " (raise backup.ssh.stall-timeout only for a step that is silent by nature)";
        }
        if (message.contains("timed out")) {
            return "the command ran longer than backup.ssh.command-timeout: check the host's load, or raise the timeout";
        }
        if (e.exitStatus() != null) {
            return "the remote command failed: read its stderr, and run it by hand on the host to see more";
        }
        return "check the network and the host's sshd log";
    }
}
