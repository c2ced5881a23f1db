package org.wirebackup.restore.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.Alerts;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.crypto.AgeIdentity;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.restore.CopyFetch;
import org.wirebackup.restore.DestinationRoute;
import org.wirebackup.restore.RestoreSettings;
import org.wirebackup.restore.RestoreSource;
import org.wirebackup.run.RunIds;
import org.wirebackup.run.RunCoordination;
import org.wirebackup.run.RunLock;
import java.util.function.Consumer;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * One drill, from the command line or the schedule: under the run lock (a drill never overlaps a backup run), the
 * newest copy fetched from {@code backup.drill.from} into the drill's own directory (or BACKUP_DIR's newest good
 * full backup), verified, restored and proven on the scratch host ({@link DrillRun}); the record written, an alert
 * raised when it failed, and the fetched copy removed.
 */
public final class Drill {

    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);

    private final CamelContext context;
    private final DrillSettings settings;
    private final Path backupDir;
    private final String defaultUser;
    private final RemoteCommandRunner ssh;
    private final RunRecordStore store;
    private final S3Destination s3;
    private final RestoreSettings restore;
    private final DrillHistory drills;
    private final RunCoordination cluster;
    private final Consumer<DrillRecord> recorded;

    /**
     * @param drills   the earlier drills (this host's, or the cluster's), whose row counts this one is compared with
     * @param cluster  the cluster's lock, taken beside the local run lock
     * @param recorded told of each drill record written to BACKUP_DIR (the cluster's history)
     */
    private final String installation;

    public Drill(CamelContext context, DrillSettings settings, RestoreSettings restore, Path backupDir,
                 String defaultUser, String installation, RemoteCommandRunner ssh, RunRecordStore store,
                 S3Destination s3, DrillHistory drills, RunCoordination cluster, Consumer<DrillRecord> recorded) {
        this.installation = installation;
        this.drills = drills;
        this.cluster = cluster;
        this.recorded = recorded;
        this.restore = restore;
        this.context = context;
        this.settings = settings;
        this.backupDir = backupDir;
        this.defaultUser = defaultUser;
        this.ssh = ssh;
        this.store = store;
        this.s3 = s3;
    }

    /** The drill's record, written; empty when a backup run holds the lock (the drill is skipped, logged). */
    public Optional<DrillRecord> run(boolean keep) throws IOException {
        if (!settings.configured()) {
            throw new ConfigurationException(DrillSettings.HOST, "is not set: a drill restores into a scratch host"
                    + " and directory (backup.drill.host, backup.drill.dir), never into production");
        }
        Optional<RunLock> lock = RunLock.tryAcquire(backupDir, "a drill");
        if (lock.isEmpty()) {
            LOG.warn("Drill skipped: {} is in progress", RunLock.holder(backupDir));
            return Optional.empty();
        }
        try (RunLock held = lock.get()) {
            Optional<RunCoordination.Held> clusterLock;
            try {
                clusterLock = cluster.tryLock("Drill", () -> LOG.error("Drill: the cluster's lock was lost with its"
                        + " database session; the drill goes on, its record says how it ended"));
            } catch (IOException e) {
                LOG.warn("Drill skipped: {}", e.getMessage());
                return Optional.empty();
            }
            if (clusterLock.isEmpty()) {
                return Optional.empty();
            }
            try (RunCoordination.Held clusterHeld = clusterLock.get()) {
                return Optional.of(drillAndRecord(keep));
            }
        }
    }

    private DrillRecord drillAndRecord(boolean keep) throws IOException {
        DrillRecord record = drill(keep);
        if (!DrillRecord.OK.equals(record.status()) && (context.isStopping() || context.isStopped())) {
            // the shutdown ended its remote commands: say so, not the SSH error it caused
            record = record.stopped("wire-backup was shutting down (SIGTERM, or the service was stopped)");
        }
        record.write(backupDir);
        recorded.accept(record);
        DrillMetrics metrics = context.getRegistry().findSingleByType(DrillMetrics.class);
        if (metrics != null) {
            metrics.drilled();
        }
        if (!DrillRecord.OK.equals(record.status())) {
            Alerts.raise(context, alertOf(record));
        }
        LOG.info("Drill {} of run {}: {} in {} ms (RTO)", record.drillId(), record.runId(), record.status(),
                record.durationMillis());
        return record;
    }

    /** For the schedule: a failure is in the record and the alert already. */
    public void scheduled() throws IOException {
        try {
            run(false);
        } catch (ConfigurationException e) {
            // the command line exits 2 on it; on the schedule nobody would see it but for the alert
            LOG.error("Drill refused: {}", e.getMessage());
            Alerts.raise(context, new StepFailedException("-", "drill", String.valueOf(settings.host()), "-",
                    "drill refused: " + e.getMessage(), "", "fix the setting it names; nothing was restored", null));
        }
    }

    private DrillRecord drill(boolean keep) throws IOException {
        Instant started = Instant.now();
        String drillId = RunIds.of(started);
        Path drillDir = backupDir.resolve("drills").resolve(drillId);
        Path fetched = null;
        Path routesDir = Path.of(context.resolvePropertyPlaceholders("{{backup.routes-dir}}"));
        String from = settings.from();
        try {
            if (from == null) {
                from = DestinationRoute.firstFetchable(routesDir).orElseThrow(() -> new IOException("no destination"
                        + " of routes/ to fetch the copy from (an SSH backup host or an S3 bucket): add one, or set"
                        + " backup.drill.from=local to drill the full backup in backup.dir"));
            }
            Path file;
            if (DrillSettings.LOCAL.equals(from)) {
                file = RestoreSource.resolve(RestoreSource.LATEST, store);
            } else {
                Files.createDirectories(drillDir);
                fetched = copyFetch().into(drillDir).fetch(DestinationRoute.find(
                        routesDir, from, context::resolvePropertyPlaceholders), RestoreSource.LATEST);
                file = fetched;
            }
            FullBackupFile backup = new FullBackupFile(file, settings.identityFile() == null ? null
                    : AgeIdentity.load(DrillSettings.IDENTITY_FILE, settings.identityFile()), DrillSettings.IDENTITY_FILE);
            FullBackupVerifier.Report report = backup.verify();
            if (report.sealed()) {
                throw new ConfigurationException(DrillSettings.IDENTITY_FILE, "is not set, and " + file.getFileName()
                        + " is encrypted: give the drill an age identity file (mode 0600) for one of its recipients");
            }
            if (!report.ok()) {
                return failed(drillId, started, from, file, "the copy does not verify: " + problems(report));
            }
            if (fetched != null) {
                copyFetch().requireOwnManifest(fetched, report.manifest());
            }
            Map<String, Long> previousRows = drills.newestGood()
                    .map(DrillRecord::cassandraRows).orElse(Map.of());
            return new DrillRun(ssh, settings, restore, defaultUser).run(drillId, started, from, backup,
                    report.manifest(), keep, previousRows);
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            return failed(drillId, started, from, null, e.getMessage());
        } finally {
            if (fetched != null) {
                Files.deleteIfExists(ChecksumSidecar.of(fetched));
                Files.deleteIfExists(fetched);
            }
        }
    }

    private CopyFetch copyFetch() {
        return new CopyFetch(ssh, s3, defaultUser, store, installation);
    }

    private static String problems(FullBackupVerifier.Report report) {
        List<String> problems = report.parts().stream().filter(p -> !p.ok()).map(p -> p.name() + " " + p.problem())
                .toList();
        return problems.isEmpty() ? String.join("; ", report.problems()) : String.join("; ", problems);
    }

    private DrillRecord failed(String drillId, Instant started, String from, Path file, String why) {
        Instant now = Instant.now();
        return new DrillRecord(drillId, DrillRecord.FAILED, from == null ? "-" : from, file == null ? null : file.toString(), null, null, started.toString(), now.toString(),
                Duration.between(started, now).toMillis(), settings.host() + ":" + settings.dir() + "/" + drillId,
                false, List.of(), why, null, null);
    }

    private StepFailedException alertOf(DrillRecord record) {
        DrillRecord.Part part = record.parts().stream().filter(p -> !p.ok()).findFirst().orElse(null);
        String cause = part == null || record.error() != null ? record.error() : part.name() + ": " + part.error()
                + (part.differences() == null ? "" : " (" + part.differences().get(0) + ")");
        return new StepFailedException(record.runId() == null ? "-" : record.runId(), "drill",
                part == null ? "-" : String.valueOf(settings.host()), part == null ? "-" : part.name(),
                "drill " + record.drillId() + " failed: " + cause, "", "the newest backup did not restore as it was"
                + " taken: look at drills/" + record.drillId() + "/drill.json, and run `wire-backup drill --keep`"
                + " to inspect the scratch copy", null);
    }
}
