package org.wirebackup.ssh;

/**
 * The remote command was fine, but storing its output on this host failed (a full disk, an I/O error): the cause is
 * here, under backup.dir, not on the network or the remote host.
 */
public class LocalWriteException extends RemoteCommandException {

    public LocalWriteException(SshTarget target, String message, Throwable cause) {
        super(target, message, cause);
    }
}
