package org.wirebackup.source;

import static org.wirebackup.ssh.ShellQuoting.quote;

/**
 * The remote script that tars a folder from its parent and compresses the stream. A plain {@code tar | gzip} hides
 * tar's exit status, so a tar that failed half-way (unreadable or vanished file) would look like a good archive:
 * here tar's status travels back on fd 3 and the script fails when tar or the compressor did.
 */
final class TarPipeline {

    private TarPipeline() {
    }

    static String script(String parent, String folder, Compression compression) {
        String cd = "cd -- " + quote(parent) + " || exit 2; ";
        String tar = "tar -cf - -- " + quote(folder);
        String filter = compression.filter();
        if (filter == null) {
            return cd + "exec " + tar;
        }
        return cd
                + "exec 4>&1; "
                + "tar_status=$( { { " + tar + " 4>&-; echo $? >&3; } | " + filter + " >&4 3>&- 4>&-; } 3>&1 ); "
                + "filter_status=$?; "
                + "exec 4>&-; "
                + "if [ \"$tar_status\" != 0 ]; then echo \"wire-backup: tar failed with exit status $tar_status\" >&2; exit 3; fi; "
                + "if [ \"$filter_status\" != 0 ]; then echo \"wire-backup: " + filter
                + " failed with exit status $filter_status\" >&2; exit 4; fi";
    }
}
