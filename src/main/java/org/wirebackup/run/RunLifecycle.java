package org.wirebackup.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.source.Source;
import org.wirebackup.io.PrivateFiles;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.Map;

/** Starts a run (lock, id, directory, first record) and ends it (status, final record, unlock). */
public final class RunLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final Path backupDir;
    private final RunRecordStore store;
    private final List<Source> sources;
    private final boolean keepParts;
    private final String toolVersion;
    private final RunMetrics metrics;
    private final Consumer<StepFailedException> alerts;
    private final Set<BackupRun> active = ConcurrentHashMap.newKeySet();
    private final Set<Path> alertedUnreadable = ConcurrentHashMap.newKeySet();
    private final RunCoordination cluster;
    private final Map<BackupRun, RunCoordination.Held> clusterLocks = new ConcurrentHashMap<>();

    /** Without a cluster. */
    public RunLifecycle(Path backupDir, RunRecordStore store, List<Source> sources, boolean keepParts,
                        String toolVersion, RunMetrics metrics, Consumer<StepFailedException> alerts) {
        this(backupDir, store, sources, keepParts, toolVersion, metrics, alerts, RunCoordination.LOCAL);
    }

    /**
     * @param alerts  raises an alert from outside a run's route (for runs a dead process left unfinished)
     * @param cluster the cluster's lock and history, taken and written beside the local ones
     */
    public RunLifecycle(Path backupDir, RunRecordStore store, List<Source> sources, boolean keepParts,
                        String toolVersion, RunMetrics metrics, Consumer<StepFailedException> alerts,
                        RunCoordination cluster) {
        this.cluster = cluster;
        this.backupDir = backupDir;
        this.store = store;
        this.sources = List.copyOf(sources);
        this.keepParts = keepParts;
        this.toolVersion = toolVersion;
        this.metrics = metrics;
        this.alerts = alerts;
    }

    /** A new run, or a skipped one when another run holds the lock. */
    public BackupRun begin(String trigger) throws IOException {
        Optional<RunLock> lock = RunLock.tryAcquire(backupDir);
        if (lock.isEmpty()) {
            String running = store.latest().filter(r -> r.status() == RunStatus.RUNNING)
                    .map(r -> "run " + r.runId() + " is still in progress")
                    .orElseGet(() -> RunLock.holder(backupDir) + " is in progress");
            LOG.warn("Backup trigger '{}' skipped: {}", trigger, running);
            return BackupRun.skippedRun(trigger, running);
        }
        Optional<RunCoordination.Held> clusterLock;
        try {
            clusterLock = cluster.tryLock("Backup trigger '" + trigger + "'", () -> stopAll(
                    "the cluster's lock was lost with its database session: another instance may start a run"));
        } catch (IOException e) {
            lock.get().close();
            LOG.warn("Backup trigger '{}' skipped: {}", trigger, e.getMessage());
            return BackupRun.skippedRun(trigger, e.getMessage());
        }
        if (clusterLock.isEmpty()) {
            lock.get().close();
            return BackupRun.skippedRun(trigger, "another instance of the cluster runs this firing");
        }
        try {
            for (RunRecord interrupted : store.closeInterruptedRuns(keepParts)) {
                cluster.recorded(interrupted);
                alerts.accept(new StepFailedException(interrupted.runId(), "run", "local", "-",
                        "run " + interrupted.runId() + " was " + interrupted.error(), "",
                        "the process was killed or the host went down during that run (out of memory? a reboot? "
                                + "see the system journal); nothing of it counts as a backup, and this run starts afresh",
                        null));
            }
            alertUnreadableRecords();
            PrivateFiles.createDirectories(store.runsDir());
            Instant start = Instant.now();
            String id = RunIds.of(start);
            String newestInCluster = cluster.newestRunId().orElse("");
            while (id.equals(newestInCluster) || !tryCreate(store.runDir(id))) {
                // a run (here, or on another instance) already started within this second: the next id is the next
                // second
                Thread.sleep(1000 - start.toEpochMilli() % 1000);
                start = Instant.now();
                id = RunIds.of(start);
            }
            BackupRun run = new BackupRun(id, store.runDir(id), trigger, start, toolVersion, sources);
            RunRecord first = run.snapshot(RunStatus.RUNNING, null, null);
            store.write(first);
            cluster.recorded(first);
            run.holdLock(lock.get());
            run.fenceWith(clusterLock.get().fence());
            clusterLocks.put(run, clusterLock.get());
            active.add(run);
            LOG.info("Run {} started (trigger: {}): {}", id, trigger,
                    sources.stream().map(s -> s.name() + " from " + s.host()).collect(Collectors.joining(", ")));
            return run;
        } catch (IOException | RuntimeException e) {
            clusterLock.get().close();
            lock.get().close();
            throw e;
        } catch (InterruptedException e) {
            clusterLock.get().close();
            lock.get().close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a run", e);
        }
    }

    /**
     * Stops every run under way (wire-backup is shutting down): each is marked stopped at step {@code run}, so no
     * later step starts; the SSH layer ends the remote commands it is waiting for.
     */
    public void stopAll(String why) {
        for (BackupRun run : active) {
            LOG.warn("Run {}: stopping: {}", run.id(), why);
            run.stop("run", "stopped: " + why);
        }
    }

    private void alertUnreadableRecords() {
        store.unreadable().forEach((file, problem) -> {
            if (alertedUnreadable.add(file)) {
                alerts.accept(new StepFailedException(file.getParent().getFileName().toString(), "run", "local", "-",
                        "run record " + file + " cannot be read and is skipped: " + problem, "",
                        "look at the file (a full disk when it was written? edited by hand?); move it away or delete"
                                + " that run directory once you know what it was", null));
            }
        });
    }

    /**
     * Ends the run: {@code ok} when every source was captured and verified, the full backup was made and read back
     * and every destination has a verified copy; {@code partial} when only some destination failed; else
     * {@code failed}. Always writes the final record
     * and releases the lock.
     *
     * @param failure an error that stopped the run itself, or null; a step failure is already in its source's record
     */
    public RunRecord finish(BackupRun run, Throwable failure) {
        if (failure instanceof StepFailedException) {
            failure = null;
        }
        try {
            List<SourceRecord> results = run.results();
            List<String> failed = results.stream().filter(r -> !r.ok())
                    .map(r -> r.name() + " (" + (r.error() == null ? r.status() : r.error().step() + ": "
                            + r.error().message()) + ")")
                    .toList();
            SourceRecord.StepError stopped = run.stoppedAt();
            boolean complete = failure == null && stopped == null && failed.isEmpty()
                    && results.size() == run.captures().size() && run.fullBackup() != null;
            String error = null;
            if (failure != null) {
                error = "run stopped: " + failure.getMessage();
            } else if (stopped != null) {
                error = stopped.step() + " failed: " + stopped.message();
            } else if (!failed.isEmpty()) {
                error = failed.size() + " of " + run.captures().size() + " sources failed: " + String.join("; ", failed);
            } else if (!complete) {
                error = results.size() == run.captures().size() ? "no full backup was made"
                        : "no part for: " + String.join(", ", run.sourcesNotCaptured());
            }
            List<String> failedCopies = run.destinations().stream().filter(d -> !d.ok())
                    .map(d -> d.name() + " (" + d.error() + ")").toList();
            if (complete && !failedCopies.isEmpty()) {
                error = failedCopies.size() + " of " + run.destinations().size() + " destinations failed: "
                        + String.join("; ", failedCopies);
            }
            RunStatus status = !complete ? RunStatus.FAILED : failedCopies.isEmpty() ? RunStatus.OK : RunStatus.PARTIAL;
            if (status == RunStatus.FAILED) {
                FailedRunCleanup.clean(run, store, keepParts);
            }
            RunRecord record = run.snapshot(status, Instant.now(), error);
            try {
                store.write(record);
            } catch (IOException e) {
                LOG.error("Run {}: cannot write its record {}: {}", run.id(), store.recordFile(run.id()), e.getMessage());
                record = record.interrupted(record.finishedAt(), "run record could not be written: " + e.getMessage());
            }
            cluster.recorded(record);
            run.finished(record);
            metrics.finished(record);
            if (stopped != null && stopped.step().equals("run")) {
                alerts.accept(new StepFailedException(run.id(), "run", "local", "-", "run " + run.id() + " "
                        + stopped.message(), "", "nothing of this run counts as a backup; the next run starts afresh",
                        null));
            }
            if (record.status() == RunStatus.PARTIAL) {
                LOG.error("Run {} PARTIAL: {} made, but {}", run.id(), record.fullBackup().file(), record.error());
            } else if (record.status() == RunStatus.OK) {
                LOG.info("Run {} ok: {} ({} bytes) in {} ms", run.id(), record.fullBackup().file(),
                        record.fullBackup().bytes(), record.durationMillis());
            } else {
                LOG.error("Run {} FAILED: {}", run.id(), record.error());
            }
            return record;
        } finally {
            active.remove(run);
        }
    }

    /** Releases the run lock: after retention, so no other run starts before this one has cleaned up. */
    public void release(BackupRun run) {
        RunCoordination.Held clusterLock = clusterLocks.remove(run);
        if (clusterLock != null) {
            clusterLock.close();
        }
        RunLock lock = run.releaseLock();
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("Run {}: releasing the run lock failed: {}", run.id(), e.getMessage());
            }
        }
    }

    private static boolean tryCreate(Path dir) throws IOException {
        try {
            PrivateFiles.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }
}
