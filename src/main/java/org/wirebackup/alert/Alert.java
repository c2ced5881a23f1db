package org.wirebackup.alert;

/** One failure, as every alert channel shows it. */
public record Alert(String runId, String step, String host, String source, String cause, String stderrTail,
                    String hint) {

    static Alert of(Throwable failure) {
        if (failure instanceof StepFailedException step) {
            return new Alert(step.runId(), step.step(), step.host(), step.source(), step.getMessage(),
                    step.stderrTail(), step.hint());
        }
        String cause = failure == null ? "unknown failure" : String.valueOf(failure.getMessage());
        return new Alert("-", "run", "-", "-", cause, "", "see the wire-backup log for the stack trace");
    }

    /** One line, for logs and chat. */
    public String text() {
        StringBuilder text = new StringBuilder("wire-backup ALERT run=").append(runId).append(" step=").append(step)
                .append(" host=").append(host).append(" source=").append(source).append(": ").append(cause);
        if (!stderrTail.isBlank()) {
            text.append(" | stderr: ").append(stderrTail.replace('\n', ' '));
        }
        if (hint != null && !hint.isBlank()) {
            text.append(" | hint: ").append(hint);
        }
        return text.toString();
    }
}
