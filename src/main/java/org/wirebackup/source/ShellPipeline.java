package org.wirebackup.source;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Remote scripts whose stdout is a (compressed) stream. A plain {@code producer | gzip} reports gzip's exit status
 * only, so a tar that failed half-way (an unreadable or vanished file) would look like a good archive: here the
 * producer's status travels back on fd 3 and the script fails when the producer or the compressor did.
 */
public final class ShellPipeline {

    private ShellPipeline() {
    }

    /** {@code tar} of the given entries of {@code dir}, compressed; every path is quoted. */
    public static String tar(String dir, List<String> entries, Compression compression, ChangedFiles changedFiles) {
        String paths = entries.stream().map(e -> quote(e)).collect(Collectors.joining(" "));
        return "cd -- " + quote(dir) + " || exit 2; "
                + compressed(changedFiles.wrap("tar -cf - -- " + paths), "tar", compression);
    }

    /**
     * Any producer (a command of the operator's, a tar) piped through the compressor, both statuses kept. The producer
     * runs in a subshell, so an {@code exit N} in an operator's command still reports N.
     */
    public static String compressed(String producer, String what, Compression compression) {
        String filter = compression.filter();
        if (filter == null) {
            return "( " + producer + " )";
        }
        return "exec 4>&1; "
                + "producer_status=$( { { ( " + producer + " ) 4>&-; echo $? >&3; } | " + filter + " >&4 3>&- 4>&-; } 3>&1 ); "
                + "filter_status=$?; "
                + "exec 4>&-; "
                // a compressor that died takes the producer down with it (SIGPIPE): name the cause first
                + "if [ \"$filter_status\" != 0 ]; then echo \"wire-backup: " + filter
                + " failed with exit status $filter_status\" >&2; exit 4; fi; "
                + "if [ \"$producer_status\" != 0 ]; then echo \"wire-backup: " + what
                + " failed with exit status $producer_status\" >&2; exit 3; fi";
    }
}
