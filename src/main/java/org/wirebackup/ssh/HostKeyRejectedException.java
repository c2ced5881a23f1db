package org.wirebackup.ssh;

/** The server's host key is not the one known_hosts holds for it (unknown or changed): the connection was refused. */
public class HostKeyRejectedException extends RemoteCommandException {

    public HostKeyRejectedException(SshTarget target, String message, Throwable cause) {
        super(target, message, cause);
    }
}
