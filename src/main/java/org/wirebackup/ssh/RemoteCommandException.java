package org.wirebackup.ssh;

/** A remote command that could not be run, or ran and failed; the message says which, for an operator. */
public class RemoteCommandException extends Exception {

    private final SshTarget target;
    private final Integer exitStatus;
    private final String stderrTail;

    public RemoteCommandException(SshTarget target, String message, Integer exitStatus, String stderrTail, Throwable cause) {
        super(message, cause);
        this.target = target;
        this.exitStatus = exitStatus;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    public RemoteCommandException(SshTarget target, String message, Throwable cause) {
        this(target, message, null, "", cause);
    }

    public SshTarget target() {
        return target;
    }

    /** The remote exit status, or null when the command never reported one. */
    public Integer exitStatus() {
        return exitStatus;
    }

    public String stderrTail() {
        return stderrTail;
    }
}
