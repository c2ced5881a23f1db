package org.wirebackup.restore.drill;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The drill records that {@code check --drill}, metrics and the next drill judge: this host's, or the cluster's. */
@FunctionalInterface
public interface DrillHistory {

    List<DrillRecord> newestFirst() throws IOException;

    default Optional<DrillRecord> newestGood() throws IOException {
        return newestFirst().stream().filter(r -> DrillRecord.OK.equals(r.status())).findFirst();
    }
}
