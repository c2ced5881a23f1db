package org.wirebackup.alert;

import java.util.Map;

/** What a channel sends: a subject line, the text people read, and the fields machines read. */
public record Notice(String subject, String text, Map<String, String> fields) {

    static Notice of(Alert alert) {
        String text = alert.text();
        return new Notice("wire-backup ALERT: " + alert.step() + " failed on " + alert.host() + " (run " + alert.runId() + ")",
                text, Map.of("event", "failure", "runId", alert.runId(), "step", alert.step(), "host", alert.host(),
                        "source", alert.source(), "cause", alert.cause(), "stderrTail", alert.stderrTail(),
                        "hint", alert.hint() == null ? "" : alert.hint()));
    }
}
