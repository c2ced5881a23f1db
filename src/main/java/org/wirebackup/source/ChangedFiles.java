package org.wirebackup.source;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a source does when GNU tar exits 1: some files changed or vanished while they were read, which a busy MinIO
 * always has. (Exit 2, a file that could not be read, always fails the source.) {@code warn} keeps the part and
 * names the files in the run record and the manifest; {@code fail} fails the source, as for files that should not
 * change (the wire-server folder, Cassandra snapshots).
 */
public enum ChangedFiles {
    WARN, FAIL;

    /** What the capture script prints to stderr when it let tar's exit 1 pass. */
    static final String MARKER = "wire-backup: tar exit 1: files changed or vanished while they were read";
    private static final Pattern LINE = Pattern.compile(
            "^tar: (.+): (file changed as we read it|File removed before we read it|file changed as we read it)$",
            Pattern.MULTILINE);

    /** The producer as it runs: for WARN, tar's exit 1 becomes 0 and the marker goes to stderr. */
    String wrap(String tarCommand) {
        if (this == FAIL) {
            return tarCommand;
        }
        return tarCommand + "; s=$?; if [ \"$s\" = 1 ]; then echo '" + MARKER + "' >&2; s=0; fi; exit $s";
    }

    /** The warning for the run record, or null when tar did not exit 1. */
    static String warning(String stderrTail) {
        if (stderrTail == null || !stderrTail.contains(MARKER)) {
            return null;
        }
        List<String> files = new ArrayList<>();
        Matcher line = LINE.matcher(stderrTail);
        while (line.find()) {
            files.add(line.group(1) + " (" + (line.group(2).startsWith("File removed") ? "vanished" : "changed") + ")");
        }
        return "live data: GNU tar exited 1, files changed or vanished while they were read; the part holds the"
                + " others as they were: " + (files.isEmpty() ? "(names not in the stderr tail)" : String.join(", ", files));
    }
}
