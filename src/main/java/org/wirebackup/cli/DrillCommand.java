package org.wirebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import org.wirebackup.config.BackupSettings;
import org.wirebackup.restore.drill.Drill;
import org.wirebackup.restore.drill.DrillRecord;
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
            Drill drill = app.context().getRegistry().findSingleByType(Drill.class);
            Optional<DrillRecord> record = drill.run(keep);
            if (record.isEmpty()) {
                spec.commandLine().getErr().println("wire-backup: drill skipped: a backup run (or another drill) is in"
                        + " progress; try again when it has finished");
                return WireBackupCli.FAILED;
            }
            BackupSettings settings = app.context().getRegistry().findSingleByType(BackupSettings.class);
            print(out, record.get(), settings.backupDir().resolve("drills").resolve(record.get().drillId())
                    .resolve("drill.json"));
            return DrillRecord.OK.equals(record.get().status()) ? WireBackupCli.OK : WireBackupCli.FAILED;
        }
    }

    private static void print(PrintWriter out, DrillRecord record, Path written) {
        out.printf("%nwire-backup drill %s of run %s (copy from %s): %s; RTO %.1fs%s%n", record.drillId(),
                record.runId() == null ? "-" : record.runId(), record.from(),
                record.status().toUpperCase(Locale.ROOT), record.durationMillis() / 1000.0,
                record.rpoSeconds() == null ? "" : "; the backup was " + human(record.rpoSeconds()) + " old (RPO)");
        for (DrillRecord.Part part : record.parts()) {
            out.printf("  %-7s %s  %s, %.1fs%s%n", part.ok() ? "ok" : "FAILED", part.name(), part.paths() == null
                    ? "sha256 equal" : part.paths() + (part.kind().equals("cassandra") && part.bytes() == 0 ? " tables"
                    + " loaded and counted" : " paths equal to the backup's"), part.durationMillis() / 1000.0,
                    part.bytes() > 0 && part.durationMillis() > 0 ? String.format(Locale.ROOT, " (%.1f MB/s)",
                    part.bytes() / 1e3 / part.durationMillis()) : "");
            if (!part.ok()) {
                out.printf("          %s%n", part.error());
                if (part.differences() != null) {
                    part.differences().forEach(d -> out.printf("          %s%n", d));
                }
            }
        }
        if (record.cassandraRows() != null && !record.cassandraRows().isEmpty()) {
            out.printf("  rows in the scratch Cassandra:%n");
            Map<String, Long> previous = record.previousCassandraRows() == null ? Map.of() : record.previousCassandraRows();
            record.cassandraRows().forEach((table, rows) -> out.printf("          %-40s %d%s%n", table, rows,
                    previous.containsKey(table) ? "  (last good drill: " + previous.get(table) + ")" : ""));
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
