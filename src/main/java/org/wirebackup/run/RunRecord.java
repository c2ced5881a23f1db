package org.wirebackup.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A run's record ({@code runs/<run id>/run.json}): written when the run starts and again when it ends. Monitoring,
 * {@code check}, retention and the restore read it; fields are only ever added.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        int formatVersion,
        String runId,
        RunStatus status,
        String trigger,
        String startedAt,
        String finishedAt,
        Long durationMillis,
        String toolVersion,
        String runDir,
        long totalBytes,
        List<SourceRecord> sources,
        String error) {

    public static final int FORMAT_VERSION = 1;

    public RunRecord {
        sources = List.copyOf(sources);
    }

    public RunRecord interrupted(String finishedAt, String why) {
        return new RunRecord(formatVersion, runId, RunStatus.FAILED, trigger, startedAt, finishedAt, durationMillis,
                toolVersion, runDir, totalBytes, sources, why);
    }
}
