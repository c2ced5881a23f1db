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

    /** The message followed by what the host said, e.g. tee's "Permission denied" (its last 400 characters). */
    public String messageWithStderr() {
        if (stderrTail.isBlank()) {
            return getMessage();
        }
        String text = stderrTail.strip().replace('\n', ' ');
        return getMessage() + " (" + (text.length() > 400 ? "..." + text.substring(text.length() - 400) : text) + ")";
    }
}
