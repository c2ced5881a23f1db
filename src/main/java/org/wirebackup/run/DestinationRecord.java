package org.wirebackup.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one destination did with a run's full backup; part of the run record.
 *
 * @param name     the destination's route id (its YAML file's route)
 * @param location where the copy is, as the destination reports it (e.g. {@code wire@backup1:/srv/x/full-backup-...})
 * @param attempts how many tries it took (retries with backoff)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestinationRecord(String name, String status, String location, Integer attempts, String startedAt,
                                String finishedAt, Long durationMillis, String error) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }
}
