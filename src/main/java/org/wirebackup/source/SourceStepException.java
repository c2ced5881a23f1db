package org.wirebackup.source;

import org.wirebackup.alert.Hints;
import org.wirebackup.ssh.RemoteCommandException;

/** A step of a source's capture that failed: {@code preflight}, {@code snapshot}, {@code capture}, ... */
public class SourceStepException extends Exception {

    private final String step;
    private final Integer exitStatus;
    private final String stderrTail;
    private final String hint;

    public SourceStepException(String step, String message, Integer exitStatus, String stderrTail, String hint,
                               Throwable cause) {
        super(message, cause);
        this.step = step;
        this.exitStatus = exitStatus;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
        this.hint = hint;
    }

    public SourceStepException(String step, String message, String hint) {
        this(step, message, null, "", hint, null);
    }

    static SourceStepException of(String step, RemoteCommandException e) {
        return new SourceStepException(step, e.getMessage(), e.exitStatus(), e.stderrTail(),
                Hints.forRemoteFailure(e), e);
    }

    public String step() {
        return step;
    }

    public Integer exitStatus() {
        return exitStatus;
    }

    public String stderrTail() {
        return stderrTail;
    }

    public String hint() {
        return hint;
    }
}
