package org.wirebackup.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.config.BackupSettings;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.crypto.AgeIdentity;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.restore.CopyFetch;
import org.wirebackup.restore.DestinationRoute;
import org.wirebackup.restore.RestorePlan;
import org.wirebackup.restore.RestoreRecord;
import org.wirebackup.restore.RestoreRun;
import org.wirebackup.restore.RestoreSettings;
import org.wirebackup.restore.RestoreLocks;
import org.wirebackup.restore.RestoreSource;
import org.wirebackup.restore.RestoreTargets;
import org.wirebackup.cluster.ClusterCoordinator;
import org.wirebackup.run.RunCoordination;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.ssh.RemoteCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a full backup: the wire-server folder and MinIO data directories over SSH into tar -x,",
                "Cassandra's schema over CQL and every node's tables with sstableloader; to the hosts and paths its",
                "manifest recorded, or those the restore.* settings name. It verifies the whole file first (parts,",
                "manifest, .sha256, unsafe tar entries) and prints the plan: for every part what goes where, how, its",
                "size, and what is there now. Nothing changes before that, nor without --yes or the run id typed on",
                "a terminal.",
                "Exit status: 0 restored (or plan shown), 1 failed or the file does not verify, 2 bad arguments or",
                "settings, or refused before any change, 3 partial: some parts restored (the summary says how to",
                "resume)."})
final class RestoreCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", defaultValue = RestoreSource.LATEST,
            description = "A full-backup file, a run id, or latest (default): the newest good one in backup.dir.")
    String source;

    @Option(names = "--plan", description = "Show what the restore would do, and change nothing.")
    boolean plan;

    @Option(names = "--yes", description = "Restore without asking for the run id (for scripts; needed without a"
            + " terminal).")
    boolean yes;

    @Option(names = "--replace", description = "A target directory that is not empty is moved aside on its host to"
            + " DIR.before-restore-<run id> (never deleted); a keyspace that holds data is snapshotted on the nodes as"
            + " before-restore-<run id>, then its tables truncated. Without it, either refuses the restore.")
    boolean replace;

    @Option(names = "--from", paramLabel = "NAME", description = "Fetch the copy from this destination of routes/ (an"
            + " SSH backup host or an S3 bucket) into backup.dir first, checked against its .sha256: for a backup host that lost its"
            + " disk. Fetches with --plan too.")
    String from;

    @Option(names = "--only", split = ",", paramLabel = "KIND",
            description = "Restore only these kinds of part: wire-server, minio, cassandra (default: all).")
    List<String> only;

    @Option(names = "--identity", paramLabel = "FILE", description = "The age identity file (mode 0600) that decrypts"
            + " an encrypted full backup (.tar.age) as it is read; nothing decrypted is written to disk.")
    Path identity;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // the RTO runs from here: start-up, the fetch, decryption and the whole-file verification are part of it
        java.time.Instant started = java.time.Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        Set<String> kinds = RestoreRun.kinds(only);
        try (WireBackupApplication app = WireBackupApplication.startOnce(config.existingFile())) {
            var registry = app.context().getRegistry();
            BackupSettings settings = registry.findSingleByType(BackupSettings.class);
            RestoreSettings restoreSettings = registry.findSingleByType(RestoreSettings.class);
            RemoteCommandRunner ssh = registry.findSingleByType(RemoteCommandRunner.class);
            RunRecordStore store = registry.findSingleByType(RunRecordStore.class);
            if (plan && from == null) {
                // reading and showing changes nothing: no lock, so a plan can be looked at while a backup runs
                return restore(out, app, settings, restoreSettings, ssh, store, kinds, started);
            }
            ClusterCoordinator cluster = registry.findSingleByType(ClusterCoordinator.class);
            try (RestoreLocks locks = RestoreLocks.take(settings.backupDir(),
                    cluster == null ? RunCoordination.LOCAL : cluster, "a restore (" + (from == null ? source
                            : source + " from " + from) + ")")) {
                return restore(out, app, settings, restoreSettings, ssh, store, kinds, started);
            } catch (RestoreLocks.HeldElsewhereException e) {
                spec.commandLine().getErr().println("wire-backup: restore: refused: " + e.getMessage());
                return WireBackupCli.USAGE;
            }
        }
    }

    private int restore(PrintWriter out, WireBackupApplication app, BackupSettings settings,
                        RestoreSettings restoreSettings, RemoteCommandRunner ssh, RunRecordStore store,
                        Set<String> kinds, java.time.Instant started) throws Exception {
        var registry = app.context().getRegistry();
        Path file = from == null ? RestoreSource.resolve(source, store)
                : fetch(ssh, registry.findSingleByType(S3Destination.class), settings, store)
                        .fetch(DestinationRoute.find(
                        Path.of(app.context().resolvePropertyPlaceholders("{{backup.routes-dir}}")), from,
                        app.context()::resolvePropertyPlaceholders), source);
        FullBackupFile backup = new FullBackupFile(file, identity == null ? null
                : AgeIdentity.load("--identity", identity), "--identity");
        FullBackupVerifier.Report report = backup.verify();
        if (report.sealed()) {
            throw new ConfigurationException("--identity", file.getFileName() + " is encrypted: give --identity"
                    + " FILE, an age identity for one of its recipients; nothing was changed");
        }
        if (!report.ok()) {
            VerifyCommand.print(out, file, report);
            spec.commandLine().getErr().println("wire-backup: restore: " + file + " does not verify: nothing was"
                    + " changed; fetch another copy");
            return WireBackupCli.FAILED;
        }
        if (from != null) {
            fetch(ssh, null, settings, store).requireOwnManifest(file, report.manifest());
        }
        RestorePlan restorePlan = RestorePlan.of(backup, report.manifest(), settings.sshUser(), ssh,
                restoreSettings, kinds.contains("cassandra"));
        restorePlan.print(out);
        RestoreTargets.refuseShared(restorePlan.lines().stream().map(RestorePlan.Line::target).toList(), kinds,
                restoreSettings);
        if (plan) {
            return WireBackupCli.OK;
        }
        RestoreRun restore = new RestoreRun(ssh, settings.backupDir(), restoreSettings);
        restore.refuseUnsafe(restorePlan, kinds, replace);
        confirm(report.manifest().runId());
        RestoreRecord record = restore.run(restorePlan, report, kinds, replace, started);
        restore.printSummary(out, record, restorePlan, kinds);
        return switch (record.status()) {
            case RestoreRecord.OK -> WireBackupCli.OK;
            case RestoreRecord.PARTIAL -> WireBackupCli.PARTIAL;
            default -> WireBackupCli.FAILED;
        };
    }

    private static CopyFetch fetch(RemoteCommandRunner ssh, S3Destination s3, BackupSettings settings,
                                   RunRecordStore store) {
        return new CopyFetch(ssh, s3, settings.sshUser(), store, settings.installationId());
    }

    private void confirm(String runId) {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new ConfigurationException("--yes", "no terminal to confirm on: pass --yes to restore run " + runId);
        }
        String typed = console.readLine("Type the run id (%s) to restore it: ", runId);
        if (typed == null || !typed.strip().equals(runId)) {
            throw new ConfigurationException("--yes", "the run id typed was not " + runId + ": nothing was changed");
        }
    }
}
