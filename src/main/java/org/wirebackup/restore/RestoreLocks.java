package org.wirebackup.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.run.RunCoordination;
import org.wirebackup.run.RunLock;

/**
 * The locks a restore holds from its first step to its record: the run lock of the backup directory and, in a
 * cluster, the installation's lock. While it holds them no backup run starts (it would capture a half-restored
 * system and could apply retention to the very backup being read), no drill, and no other restore; those are skipped
 * and logged, naming the restore.
 */
public final class RestoreLocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLocks.class);

    private final RunLock local;
    private final RunCoordination.Held cluster;

    private RestoreLocks(RunLock local, RunCoordination.Held cluster) {
        this.local = local;
        this.cluster = cluster;
    }

    /** Another run, drill or restore holds a lock: the restore does nothing. */
    public static final class HeldElsewhereException extends Exception {
        HeldElsewhereException(String message) {
            super(message);
        }
    }

    /** @param what the restore, in words, for whoever is turned away meanwhile */
    public static RestoreLocks take(Path backupDir, RunCoordination coordination, String what)
            throws IOException, HeldElsewhereException {
        Optional<RunLock> local = RunLock.tryAcquire(backupDir, what);
        if (local.isEmpty()) {
            throw new HeldElsewhereException(RunLock.holder(backupDir) + " is in progress in " + backupDir + ": a"
                    + " restore waits for it to end (it would capture or read a half-restored system); nothing was"
                    + " changed");
        }
        Optional<RunCoordination.Held> cluster;
        try {
            cluster = coordination.tryLock("Restore", () -> LOG.error("Restore: the cluster's lock was lost with its"
                    + " database session: another instance may start a backup while this restore goes on"));
        } catch (IOException unreachable) {
            // on the worst day the cluster's database may be down too; no instance starts a backup without it either
            LOG.warn("Restore: {}; restoring under the local lock only", unreachable.getMessage());
            return new RestoreLocks(local.get(), () -> { });
        }
        if (cluster.isEmpty()) {
            local.get().close();
            throw new HeldElsewhereException("another instance of the cluster holds the installation's lock (a"
                    + " backup run or a drill): a restore waits for it to end; nothing was changed");
        }
        return new RestoreLocks(local.get(), cluster.get());
    }

    @Override
    public void close() throws IOException {
        try {
            cluster.close();
        } finally {
            local.close();
        }
    }
}
