package org.wirebackup.cli;

import java.util.Locale;

import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.SourceRecord;

/** The plain-text summary printed at the end of a run. */
public final class RunSummary {

    private RunSummary() {
    }

    /** 0 ok, 1 failed (or skipped), 3 partial: the full backup is good but some destination has no copy. */
    public static int exitCode(BackupRun run) {
        RunRecord record = run.finalRecord();
        if (record == null) {
            return WireBackupCli.FAILED;
        }
        return switch (record.status()) {
            case OK -> WireBackupCli.OK;
            case PARTIAL -> WireBackupCli.PARTIAL;
            default -> WireBackupCli.FAILED;
        };
    }

    public static String of(BackupRun run) {
        if (run == null) {
            return "wire-backup: the run did not start (see the log above)\n";
        }
        if (run.isSkipped()) {
            return "wire-backup: nothing done: " + run.skippedBecause() + "\n";
        }
        RunRecord record = run.finalRecord();
        if (record == null) {
            return "wire-backup: run " + run.id() + " did not finish (see the log above)\n";
        }
        StringBuilder text = new StringBuilder();
        text.append("wire-backup run ").append(record.runId()).append(": ")
                .append(record.status().json().toUpperCase(Locale.ROOT))
                .append(" in ").append(seconds(record.durationMillis()))
                .append(" (trigger: ").append(record.trigger()).append(")\n");
        for (SourceRecord source : record.sources()) {
            text.append(String.format("  %-7s %s  %s:%s%n", source.ok() ? "ok" : source.status().toUpperCase(Locale.ROOT),
                    source.name(), source.host(), source.remotePath()));
            String indent = " ".repeat(10);
            if (source.ok()) {
                text.append(indent).append(bytes(source.bytes())).append(", sha256 ").append(source.sha256())
                        .append(", ").append(source.compression()).append('\n');
                text.append(indent).append(source.file()).append(source.entries() == null ? ""
                        : ", " + source.entries() + " tar entries").append('\n');
            } else if (source.error() != null) {
                text.append(indent).append(source.error().step()).append(" failed: ")
                        .append(source.error().message().replace("\n", "\n" + indent)).append('\n');
                if (source.stderrTail() != null) {
                    text.append(indent).append("stderr: ").append(source.stderrTail().replace("\n", "\n" + indent))
                            .append('\n');
                }
            }
            for (String warning : source.warnings() == null ? java.util.List.<String>of() : source.warnings()) {
                text.append(indent).append("warning: ").append(warning).append('\n');
            }
        }
        if (record.fullBackup() != null) {
            text.append("full backup: ").append(record.fullBackup().file()).append('\n');
            text.append("             ").append(bytes(record.fullBackup().bytes())).append(", sha256 ")
                    .append(record.fullBackup().sha256()).append(record.fullBackup().encryptedTo().isEmpty()
                            ? ", verified\n" : ", encrypted (age) to " + record.fullBackup().encryptedTo().size()
                            + " recipient(s); parts verified before, ciphertext read back\n");
        }
        for (var destination : record.destinations()) {
            text.append(String.format("  copy    %-10s %s  %s%n", destination.verified() ? "ok"
                    : destination.ok() ? "UNVERIFIED" : "FAILED", destination.name(),
                    destination.ok() ? (destination.location() == null ? "" : destination.location())
                            : destination.error()));
            if (destination.verifiedBy() != null) {
                text.append("          verified: ").append(destination.verifiedBy()).append('\n');
            }
            for (String warning : destination.warnings() == null ? java.util.List.<String>of() : destination.warnings()) {
                text.append("          warning: ").append(warning).append('\n');
            }
        }
        if (record.error() != null) {
            text.append("error: ").append(record.error()).append('\n');
        }
        text.append("run record: ").append(record.runDir()).append("/run.json\n");
        return text.toString();
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], bytes);
    }

    private static String seconds(Long millis) {
        return millis == null ? "?" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
