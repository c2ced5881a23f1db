package org.wirebackup.cli;

import java.util.Locale;

import org.wirebackup.run.BackupRun;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunStatus;
import org.wirebackup.run.SourceRecord;

/** The plain-text summary printed at the end of a run. */
public final class RunSummary {

    private RunSummary() {
    }

    public static boolean succeeded(BackupRun run) {
        RunRecord record = run.finalRecord();
        return record != null && (record.status() == RunStatus.OK || record.status() == RunStatus.PARTIAL);
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
            text.append(String.format("  %-12s %-7s %s:%s%n", source.name(), source.status(), source.host(),
                    source.remotePath()));
            if (source.ok()) {
                text.append(String.format("  %-12s %s, sha256 %s%n", "", bytes(source.bytes()), source.sha256()));
                text.append(String.format("  %-12s -> %s%n", "", source.file()));
            } else if (source.error() != null) {
                text.append(String.format("  %-12s %s failed: %s%n", "", source.error().step(), source.error().message()));
                if (source.stderrTail() != null) {
                    text.append(String.format("  %-12s stderr: %s%n", "", source.stderrTail().replace("\n", "\n" + " ".repeat(23))));
                }
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
