package org.wirebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.camel.CamelContext;
import org.wirebackup.WireBackupApplication;
import org.wirebackup.alert.Alerts;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.config.BackupSettings;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.restore.CopyFetch;
import org.wirebackup.restore.DestinationRoute;
import org.wirebackup.restore.RestoreSource;
import org.wirebackup.restore.drill.DrillRecord;
import org.wirebackup.restore.drill.DrillRun;
import org.wirebackup.restore.drill.DrillSettings;
import org.wirebackup.run.RunIds;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.ssh.RemoteCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"A disaster-recovery drill now: the newest good full backup, fetched from backup.drill.from (a",
                "destination of routes/, or local), verified, every part restored on the scratch host",
                "(backup.drill.host, backup.drill.dir) and proven equal to the backup, path by path; then the scratch",
                "data removed. Prints the measured RTO and the backup's age (RPO); writes drills/<id>/drill.json; a",
                "failed drill raises an alert. Exit status: 0 proven, 1 failed, 2 bad arguments or settings."})
final class DrillCommand implements Callable<Integer> {

    @Option(names = "--keep", description = "Leave the scratch data in place, to look at it.")
    boolean keep;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (WireBackupApplication app = WireBackupApplication.startOnce(config.existingFile())) {
            CamelContext context = app.context();
            var registry = context.getRegistry();
            BackupSettings settings = registry.findSingleByType(BackupSettings.class);
            DrillSettings drill = registry.findSingleByType(DrillSettings.class);
            if (!drill.configured()) {
                throw new ConfigurationException(DrillSettings.HOST, "is not set: a drill restores into a scratch host"
                        + " and directory (backup.drill.host, backup.drill.dir), never into production");
            }
            RemoteCommandRunner ssh = registry.findSingleByType(RemoteCommandRunner.class);
            RunRecordStore store = registry.findSingleByType(RunRecordStore.class);
            Instant started = Instant.now();
            String drillId = RunIds.of(started);
            Path drillDir = settings.backupDir().resolve("drills").resolve(drillId);
            DrillRecord record;
            Path fetched = null;
            try {
                Path file;
                if (drill.from() == null) {
                    file = RestoreSource.resolve(RestoreSource.LATEST, store);
                } else {
                    Files.createDirectories(drillDir);
                    fetched = new CopyFetch(ssh, registry.findSingleByType(S3Destination.class), settings.sshUser(), store)
                            .into(drillDir).fetch(DestinationRoute.find(Path.of(context.resolvePropertyPlaceholders(
                                    "{{backup.routes-dir}}")), drill.from(), context::resolvePropertyPlaceholders),
                                    RestoreSource.LATEST);
                    file = fetched;
                }
                FullBackupVerifier.Report report = FullBackupVerifier.verify(file);
                record = report.ok() ? new DrillRun(ssh, drill).run(drillId, started, drill.from(), file,
                        report.manifest(), keep) : failed(drillId, started, drill, file, "the copy does not verify: "
                        + problems(report));
            } catch (ConfigurationException e) {
                throw e;
            } catch (Exception e) {
                record = failed(drillId, started, drill, null, e.getMessage());
            } finally {
                if (fetched != null) {
                    Files.deleteIfExists(ChecksumSidecar.of(fetched));
                    Files.deleteIfExists(fetched);
                }
            }
            Path written = record.write(settings.backupDir());
            if (!DrillRecord.OK.equals(record.status())) {
                Alerts.raise(context, alertOf(record, drill));
            }
            print(out, record, written);
            return DrillRecord.OK.equals(record.status()) ? WireBackupCli.OK : WireBackupCli.FAILED;
        }
    }

    private static String problems(FullBackupVerifier.Report report) {
        List<String> problems = report.parts().stream().filter(p -> !p.ok()).map(p -> p.name() + " " + p.problem())
                .toList();
        return problems.isEmpty() ? String.join("; ", report.problems()) : String.join("; ", problems);
    }

    private static DrillRecord failed(String drillId, Instant started, DrillSettings drill, Path file, String why) {
        Instant now = Instant.now();
        return new DrillRecord(drillId, DrillRecord.FAILED, drill.from() == null ? DrillSettings.LOCAL : drill.from(),
                file == null ? null : file.toString(), null, null, started.toString(), now.toString(),
                java.time.Duration.between(started, now).toMillis(), drill.host() + ":" + drill.dir() + "/" + drillId,
                false, List.of(), why);
    }

    private static StepFailedException alertOf(DrillRecord record, DrillSettings drill) {
        DrillRecord.Part part = record.parts().stream().filter(p -> !p.ok()).findFirst().orElse(null);
        String cause = part == null ? record.error() : part.name() + ": " + part.error()
                + (part.differences() == null ? "" : " (" + part.differences().get(0) + ")");
        return new StepFailedException(record.runId() == null ? "-" : record.runId(), "drill",
                part == null ? "-" : String.valueOf(drill.host()), part == null ? "-" : part.name(),
                "drill " + record.drillId() + " failed: " + cause, "", "the newest backup did not restore as it was"
                + " taken: look at drills/" + record.drillId() + "/drill.json, and run `wire-backup drill --keep`"
                + " to inspect the scratch copy", null);
    }

    private static void print(PrintWriter out, DrillRecord record, Path written) {
        out.printf("%nwire-backup drill %s of run %s (copy from %s): %s; RTO %.1fs%s%n", record.drillId(),
                record.runId() == null ? "-" : record.runId(), record.from(),
                record.status().toUpperCase(Locale.ROOT), record.durationMillis() / 1000.0,
                record.rpoSeconds() == null ? "" : "; the backup was " + human(record.rpoSeconds()) + " old (RPO)");
        for (DrillRecord.Part part : record.parts()) {
            out.printf("  %-7s %s  %s, %.1fs%n", part.ok() ? "ok" : "FAILED", part.name(), part.paths() == null
                    ? "sha256 equal" : part.paths() + " paths equal to the backup's", part.durationMillis() / 1000.0);
            if (!part.ok()) {
                out.printf("          %s%n", part.error());
                if (part.differences() != null) {
                    part.differences().forEach(d -> out.printf("          %s%n", d));
                }
            }
        }
        if (record.error() != null) {
            out.printf("  FAILED  %s%n", record.error());
        }
        out.printf("scratch: %s (%s)%n", record.scratch(), record.kept() ? "kept: remove it when done" : "removed");
        out.printf("drill record: %s%n", written);
        out.flush();
    }

    private static String human(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }
}
