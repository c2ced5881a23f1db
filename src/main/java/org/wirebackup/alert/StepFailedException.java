package org.wirebackup.alert;

/** A step of a run that failed: everything the alert route needs to tell an operator what broke where. */
public class StepFailedException extends Exception {

    private final String runId;
    private final String step;
    private final String host;
    private final String source;
    private final String stderrTail;
    private final String hint;

    public StepFailedException(String runId, String step, String host, String source, String message,
                               String stderrTail, String hint, Throwable cause) {
        super(message, cause);
        this.runId = runId;
        this.step = step;
        this.host = host;
        this.source = source;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
        this.hint = hint;
    }

    public String runId() {
        return runId;
    }

    public String step() {
        return step;
    }

    public String host() {
        return host;
    }

    public String source() {
        return source;
    }

    public String stderrTail() {
        return stderrTail;
    }

    public String hint() {
        return hint;
    }
}
