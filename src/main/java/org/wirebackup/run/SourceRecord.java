package org.wirebackup.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What one source of a run produced; part of the run record.
 *
 * @param format  {@code tar}, {@code cql} (a schema) or {@code raw} (a command's own output), before compression
 * @param file    the part's file name: in the run directory, and as an entry of the full backup
 * @param entries the tar's entry count, once verified
 * @param tablePartitions a Cassandra node's tables' partitions at capture (estimates, keyed keyspace.table); else null
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
        Long entries,
        String startedAt,
        String finishedAt,
        Long durationMillis,
        Integer exitStatus,
        String stderrTail,
        StepError error,
        List<String> warnings,
        java.util.Map<String, Long> tablePartitions) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }

    /** @param entryCount the tar's entry count; null for a part that is no tar */
    public SourceRecord verified(Long entryCount) {
        return new SourceRecord(name, kind, host, remotePath, compression, format, command, file, status, bytes, sha256,
                entryCount, startedAt, finishedAt, durationMillis, exitStatus, stderrTail, error, warnings, tablePartitions);
    }

    public SourceRecord warned(String warning) {
        List<String> more = new java.util.ArrayList<>(warnings == null ? List.of() : warnings);
        more.add(warning);
        return new SourceRecord(name, kind, host, remotePath, compression, format, command, file, status, bytes,
                sha256, entries, startedAt, finishedAt, durationMillis, exitStatus, stderrTail, error, List.copyOf(more),
                tablePartitions);
    }

    public SourceRecord failedAt(String step, String message) {
        return new SourceRecord(name, kind, host, remotePath, compression, format, command, file, FAILED, bytes,
                sha256, entries, startedAt, finishedAt, durationMillis, exitStatus, stderrTail,
                new StepError(step, message), warnings, tablePartitions);
    }

    /** Where and why a step failed, as shown to the operator and sent to the alert route. */
    public record StepError(String step, String message) {
    }
}
