package org.wirebackup.run;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one destination did with a run's full backup; part of the run record.
 *
 * @param name     the destination's route id (its YAML file's route)
 * @param location where the copy is, as the destination reports it (e.g. {@code wire@backup1:/srv/x/full-backup-...})
 * @param attempts how many tries it took (retries with backoff)
 * @param warnings what the destination could not confirm about a good copy (null when nothing)
 * @param verifiedBy how the destination proved its copy; null for an {@code unverified} one
 * @param partSize   the bytes per part of an S3 multipart upload (raised from the configured size for a large copy)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestinationRecord(String name, String status, String location, Integer attempts, String startedAt,
                                String finishedAt, Long durationMillis, String error, List<String> warnings,
                                String verifiedBy, Long partSize) {

    public DestinationRecord(String name, String status, String location, Integer attempts, String startedAt,
                             String finishedAt, Long durationMillis, String error, List<String> warnings,
                             String verifiedBy) {
        this(name, status, location, attempts, startedAt, finishedAt, durationMillis, error, warnings, verifiedBy, null);
    }

    public static final String OK = "ok";
    /** A copy was made by a route that does not check what it wrote: there may be a copy, nothing proves it. */
    public static final String UNVERIFIED = "unverified";
    public static final String FAILED = "failed";

    /** A copy was made (verified or not): the destination did not fail. */
    public boolean ok() {
        return !FAILED.equals(status);
    }

    public boolean verified() {
        return OK.equals(status);
    }
}
