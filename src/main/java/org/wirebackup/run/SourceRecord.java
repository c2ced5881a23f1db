package org.wirebackup.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What one source of a run produced; part of the run record.
 *
 * @param format {@code tar}, {@code cql} (a schema) or {@code raw} (a command's own output), before compression
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceRecord(
        String name,
        String kind,
        String host,
        String remotePath,
        String compression,
        String format,
        String command,
        String file,
        String status,
        Long bytes,
        String sha256,
        String startedAt,
        String finishedAt,
        Long durationMillis,
        Integer exitStatus,
        String stderrTail,
        StepError error,
        List<String> warnings) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }

    /** Where and why a step failed, as shown to the operator and sent to the alert route. */
    public record StepError(String step, String message) {
    }
}
