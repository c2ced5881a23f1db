package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.archive.PartCheck;
import org.wirebackup.io.Progress;
import org.wirebackup.io.ProgressInputStream;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * Restores one directory part (the wire-server folder, a MinIO data directory) as the procedure does, safely: a
 * directory that is there and not empty is moved aside to {@code DIR.before-restore-<run id>} (never deleted), then
 * the part is streamed over SSH into {@code tar -x} in the parent, and the result checked: as many regular files,
 * with as many bytes, as the part holds.
 */
final class DirectoryRestore {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryRestore.class);

    private final RemoteCommandRunner ssh;

    DirectoryRestore(RemoteCommandRunner ssh) {
        this.ssh = ssh;
    }

    RestoreRecord.PartOutcome restore(FullBackupFile fullBackup, String runId, RestorePlan.Line line, PartCheck.TarFiles expected) {
        RestoreTarget target = line.target();
        Instant started = Instant.now();
        String dir = target.path();
        String parent = Path.of(dir).getParent().toString();
        String movedAside = null;
        try {
            if ("not empty".equals(line.now().state())) {
                // DIR.before-restore-<run id>, or .1, .2, ... when a restore of the same run was resumed
                String aside = quote(dir + ".before-restore-" + runId);
                movedAside = ssh.runForText(target.host(), "t=" + aside + "; n=1; while [ -e \"$t\" ]; do t=" + aside
                        + ".$n; n=$((n+1)); done; mv -- " + quote(dir) + " \"$t\" && printf '%s' \"$t\"", 4096).strip();
                LOG.info("Restore: moved {}:{} aside to {}", target.host(), dir, movedAside);
            }
            Progress progress = new Progress("restoring " + target.part().name() + " to " + target.host() + ":" + dir,
                    target.part().size(), Duration.ofSeconds(30), LOG::info);
            try (InputStream part = new ProgressInputStream(FullBackupPart.open(fullBackup, target.part().name()),
                    progress)) {
                ssh.execute(target.host(), "mkdir -p -- " + quote(parent) + " && cd -- " + quote(parent) + " && tar "
                        + FullBackupPart.tarDecompression(target.part().compression()) + renamed(target) + " -xpf -",
                        part, OutputStream.nullOutputStream());
            }
            // printf %.0f: awk's print turns sums past 2^31 into 2.14748e+09, and %d overflows in mawk
            String[] found = ssh.runForText(target.host(), "find " + quote(dir) + " -type f -printf '%i %s\\n'"
                    + " | sort -u -k1,1 | awk '{ n++; s += $2 } END { printf \"%.0f %.0f\\n\", n, s }'", 1024).strip().split(" ");
            long files = Long.parseLong(found[0]);
            long bytes = Long.parseLong(found[1]);
            if (files != expected.count() || bytes != expected.bytes()) {
                return outcome(target, started, RestoreRecord.FAILED, movedAside, "the restored directory holds "
                        + files + " files (" + bytes + " bytes), the part " + expected.count() + " ("
                        + expected.bytes() + " bytes)");
            }
            LOG.info("Restore: {} restored to {}:{}: {} files, {} bytes", target.part().name(), target.host(), dir,
                    files, bytes);
            return outcome(target, started, RestoreRecord.OK, movedAside, null);
        } catch (RemoteCommandException | IOException | RuntimeException e) {
            return outcome(target, started, RestoreRecord.FAILED, movedAside, e.getMessage());
        }
    }

    /**
     * For a directory restored under another name (restore.minio.dirs, restore.wire-server.path): GNU tar's
     * {@code --transform} of the part's top directory to the new one, for file and hard-link names, never a
     * symbolic link's target.
     */
    private static String renamed(RestoreTarget target) {
        String recorded = Path.of(target.part().remotePath()).getFileName().toString();
        String now = Path.of(target.path()).getFileName().toString();
        if (recorded.equals(now)) {
            return "";
        }
        String from = recorded.replaceAll("([\\\\.\\[\\]*^$,])", "\\\\$1");
        String to = now.replaceAll("([\\\\&,])", "\\\\$1");
        return " --transform=" + quote("s,^" + from + "/," + to + "/,S") + " --transform=" + quote("s,^" + from + "$,"
                + to + ",S");
    }

    private static RestoreRecord.PartOutcome outcome(RestoreTarget target, Instant started, String status,
                                                     String movedAside, String error) {
        Instant finished = Instant.now();
        return new RestoreRecord.PartOutcome(target.part().name(), target.part().kind(), String.valueOf(target.host()),
                target.path(), status, target.part().size(), started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis(), movedAside, null, error);
    }
}
