package org.wirebackup.run;

import java.io.IOException;
import java.util.List;

/**
 * The run records that monitoring judges ({@code check}, the freshness watchdog, metrics, {@code /observe/runs}):
 * this host's BACKUP_DIR, or, with a cluster, every instance's.
 */
@FunctionalInterface
public interface RunHistory {

    /** Every readable record, oldest first. */
    List<RunRecord> all() throws IOException;
}
