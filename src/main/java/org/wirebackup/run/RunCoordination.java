package org.wirebackup.run;

import java.io.IOException;
import java.util.Optional;

/**
 * What a run or a drill shares with the other instances of a cluster: the installation's lock, taken for the whole
 * run after the local one, and its records. Without a cluster: {@link #LOCAL}, where the local lock is all.
 */
public interface RunCoordination {

    /** A lock held across the cluster; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();

        /** Asked before the run publishes anything: whether the lock is still its own. */
        default Fence fence() {
            return Fence.NONE;
        }
    }

    RunCoordination LOCAL = new RunCoordination() {
        @Override
        public Optional<Held> tryLock(String what, Runnable onLost) {
            return Optional.of(() -> { });
        }

        @Override
        public void recorded(RunRecord record) {
        }
    };

    /**
     * The installation's lock for one run or drill ({@code what}, for the logs), or empty when another instance holds
     * it; {@code onLost} runs if the lock is lost while held (the database went away: another instance may take it).
     *
     * @throws IOException when the cluster cannot be asked: no run may start then
     */
    Optional<Held> tryLock(String what, Runnable onLost) throws IOException;

    /** A run record was written to BACKUP_DIR: the cluster's history gets it too. */
    void recorded(RunRecord record);

    /**
     * The newest run id any instance has used (asked under the lock): a new run never takes it again, so that two runs
     * of the installation one after another within a second never share a name at a destination (the instances'
     * clocks are in step, as Quartz's cluster needs). Empty without a cluster, or when unknown.
     */
    default java.util.Optional<String> newestRunId() {
        return java.util.Optional.empty();
    }
}
