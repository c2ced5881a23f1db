package org.wirebackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.wirebackup.restore.drill.DrillRecord;
import org.wirebackup.restore.drill.DrillRecordStore;
import org.wirebackup.run.Freshness;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.cluster.ClusterMarker;
import org.wirebackup.cluster.SharedHistory;
import org.wirebackup.restore.drill.DrillHistory;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"A Nagios/Icinga plugin over the run records: is the newest good backup fresh?",
                "OK, WARNING (older than --warning, or the latest run failed or was partial), CRITICAL (older than",
                "--critical, or no good backup at all), UNKNOWN (no runs recorded). Exit 0/1/2/3, with perfdata.",
                "With --drill, the same over the drill records: is the newest good drill fresh (default -w 2d -C 8d)?",
                "and CRITICAL when the latest drill failed: a backup that does not restore is not a warning.",
                "It reads only the backup directory: no SSH keys, no Camel. In a cluster (cluster.json in the backup",
                "directory) it reads the cluster's history in PostgreSQL: every instance's runs, the password from",
                "WIRE_BACKUP_CLUSTER_PASSWORD."})
final class CheckCommand implements Callable<Integer> {

    static final int WARNING = 1;
    static final int CRITICAL = 2;
    static final int UNKNOWN = 3;

    @Option(names = {"-d", "--backup-dir"}, paramLabel = "DIR",
            description = "The backup directory (default: backup.dir from --config, or $BACKUP_DIR).")
    Path backupDir;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            defaultValue = "${env:WIRE_BACKUP_CONFIG:-application.properties}",
            description = "Settings file to read backup.dir from (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-w", "--warning"}, paramLabel = "AGE",
            description = "WARNING when the newest good backup is older (default: 75m, hourly plus grace; 2d with --drill).")
    String warning;

    @Option(names = {"-C", "--critical"}, paramLabel = "AGE",
            description = "CRITICAL when it is older (default: 2h; 8d with --drill).")
    String critical;

    @Option(names = "--drill", description = "Check the drills instead: the newest good one's age, and the latest's status.")
    boolean drill;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (warning == null) {
                warning = drill ? "2d" : "75m";
            }
            if (critical == null) {
                critical = drill ? "8d" : "2h";
            }
            Duration warn = age("--warning", warning);
            Duration crit = age("--critical", critical);
            Path dir = backupDir != null ? backupDir : configuredBackupDir();
            if (!Files.isDirectory(dir)) {
                return say(out, UNKNOWN, "backup directory " + dir.toAbsolutePath() + " does not exist (pass"
                        + " --backup-dir DIR, or --config FILE with backup.dir)", "");
            }
            Optional<ClusterMarker> cluster = ClusterMarker.read(dir);
            SharedHistory shared = cluster.map(c -> c.history(System.getenv("WIRE_BACKUP_CLUSTER_PASSWORD")))
                    .orElse(null);
            if (drill) {
                return checkDrills(out, dir, warn, crit, shared == null ? new DrillRecordStore(dir) : shared);
            }
            Freshness freshness = Freshness.of(shared == null ? new RunRecordStore(dir) : shared, Instant.now());
            if (freshness.latest().isEmpty()) {
                return say(out, UNKNOWN, "no backup run recorded under " + dir, "");
            }
            if (freshness.newestGood().isEmpty()) {
                RunRecord latest = freshness.latest().get();
                return say(out, CRITICAL, "no good backup at all; latest run " + latest.runId() + " "
                        + latest.status().json() + ": " + latest.error(), "");
            }
            RunRecord good = freshness.newestGood().get();
            Duration age = freshness.age().orElseThrow();
            String perfdata = String.format(Locale.ROOT, "age=%ds;%d;%d;0 size=%dB duration=%.1fs",
                    age.toSeconds(), warn.toSeconds(), crit.toSeconds(), good.fullBackup().bytes(),
                    good.durationMillis() / 1000.0);
            String last = "newest good backup " + good.runId() + " finished " + human(age) + " ago ("
                    + good.fullBackup().bytes() + " bytes)";
            if (age.compareTo(crit) > 0) {
                return say(out, CRITICAL, last + ", older than " + critical, perfdata);
            }
            if (age.compareTo(warn) > 0) {
                return say(out, WARNING, last + ", older than " + warning, perfdata);
            }
            if (freshness.latestRunBad()) {
                RunRecord latest = freshness.latest().get();
                return say(out, WARNING, "latest run " + latest.runId() + " " + latest.status().json() + ": "
                        + latest.error() + "; " + last, perfdata);
            }
            return say(out, WireBackupCli.OK, last, perfdata);
        } catch (IOException | RuntimeException e) {
            return say(out, UNKNOWN, e.getMessage(), "");
        }
    }

    private int checkDrills(PrintWriter out, Path dir, Duration warn, Duration crit, DrillHistory history)
            throws IOException {
        List<DrillRecord> drills = history.newestFirst();
        if (drills.isEmpty()) {
            return say(out, UNKNOWN, "no drill recorded under " + dir + " (run wire-backup drill)", "");
        }
        DrillRecord latest = drills.get(0);
        DrillRecord good = drills.stream().filter(d -> DrillRecord.OK.equals(d.status())).findFirst().orElse(null);
        if (good == null) {
            return say(out, CRITICAL, "no good drill at all; latest drill " + latest.drillId() + " failed: "
                    + why(latest), "");
        }
        Duration age = Duration.between(Instant.parse(good.finishedAt()), Instant.now());
        String perfdata = String.format(Locale.ROOT, "age=%ds;%d;%d;0 rto=%.1fs rpo=%ds", age.toSeconds(),
                warn.toSeconds(), crit.toSeconds(), good.durationMillis() / 1000.0,
                good.rpoSeconds() == null ? 0 : good.rpoSeconds());
        String last = "newest good drill " + good.drillId() + " (run " + good.runId() + ", copy from " + good.from()
                + ") finished " + human(age) + " ago, RTO " + String.format(Locale.ROOT, "%.1fs",
                good.durationMillis() / 1000.0);
        if (latest != good) {
            // the newest backup a drill tried does not restore: that is the failure a drill exists to find
            return say(out, CRITICAL, "latest drill " + latest.drillId() + " failed: " + why(latest) + "; " + last,
                    perfdata);
        }
        if (age.compareTo(crit) > 0) {
            return say(out, CRITICAL, last + ", older than " + critical, perfdata);
        }
        if (age.compareTo(warn) > 0) {
            return say(out, WARNING, last + ", older than " + warning, perfdata);
        }
        return say(out, WireBackupCli.OK, last, perfdata);
    }

    private static String why(DrillRecord drill) {
        return drill.error() != null ? drill.error() : drill.parts().stream().filter(p -> !p.ok())
                .map(p -> p.name() + ": " + p.error()).findFirst().orElse("see its drill.json");
    }

    private Path configuredBackupDir() throws IOException {
        String env = System.getenv("BACKUP_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Properties properties = new Properties();
        if (Files.isRegularFile(config)) {
            try (InputStream in = Files.newInputStream(config)) {
                properties.load(in);
            }
        }
        return Path.of(properties.getProperty("backup.dir", "data").trim());
    }

    private static Duration age(String option, String text) {
        Duration age = org.wirebackup.config.SettingsReader.parseDuration(text);
        if (age == null) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration (e.g. 75m, 2h)");
        }
        return age;
    }

    /** A usage error, in the plugin's own terms: Nagios reads exit 2 as CRITICAL, so it is UNKNOWN (3). */
    static int usageError(PrintWriter out, String problem) {
        return say(out, UNKNOWN, "usage: " + problem + " (wire-backup check --help)", "");
    }

    private static int say(PrintWriter out, int status, String text, String perfdata) {
        String label = switch (status) {
            case 0 -> "OK";
            case WARNING -> "WARNING";
            case CRITICAL -> "CRITICAL";
            default -> "UNKNOWN";
        };
        out.println("WIRE-BACKUP " + label + " - " + text + (perfdata.isEmpty() ? "" : " | " + perfdata));
        out.flush();
        return status;
    }

    private static String human(Duration d) {
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }
}
