package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * Restores one directory part (the wire-server folder, a MinIO data directory) as the procedure does, safely: what is
 * at the target is looked at again and must be what the plan showed (else the restore stops there); a directory
 * that is there and not empty (or could not be read) is moved aside to {@code DIR.before-restore-<run id>} (never
 * deleted; a mount point keeps its place and what it holds goes into {@code DIR/.wire-backup-before-restore-<run id>},
 * on the same file system); then the part is streamed over SSH into {@code tar -x} with the target itself as its root ({@code -C DIR},
 * the part's own directory name stripped), so no entry can land beside it; and the result checked: as many regular
 * files, with as many bytes, as the part holds.
 */
final class DirectoryRestore {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryRestore.class);

    private final RemoteCommandRunner ssh;

    DirectoryRestore(RemoteCommandRunner ssh) {
        this.ssh = ssh;
    }

    /** What is at a target is no longer what the plan showed: the restore stops before it changes anything there. */
    static final class TargetChangedException extends Exception {
        TargetChangedException(String message) {
            super(message);
        }
    }

    RestoreRecord.PartOutcome restore(FullBackupFile fullBackup, String runId, RestorePlan.Line line,
                                      PartCheck.TarFiles expected) throws TargetChangedException {
        RestoreTarget target = line.target();
        Instant started = Instant.now();
        String dir = target.path();
        String movedAside = null;
        boolean extracting = false;
        try {
            TargetState planned = line.now();
            requireState(target, planned.state(), "the plan");
            if (!planned.state().isSafeAsItIs() && planned.mountPoint()) {
                // a mount point cannot be moved (EBUSY): what it holds goes into a directory inside it, a rename
                movedAside = ssh.runForText(target.host(), firstFreeName(dir + "/" + TargetState.ASIDE_IN_MOUNT + runId)
                        + " mkdir -- \"$t\" && find " + quote(dir) + " -mindepth 1 -maxdepth 1 ! -name '"
                        + TargetState.ASIDE_IN_MOUNT + "*' -exec mv -t \"$t\" -- {} + && printf '%s' \"$t\"", 4096).strip();
                LOG.info("Restore: {}:{} is a mount point: moved what it held aside to {}", target.host(), dir,
                        movedAside);
                requireState(target, TargetState.State.EMPTY, "moving what it held aside to " + movedAside);
            } else if (!planned.state().isSafeAsItIs()) {
                // DIR.before-restore-<run id>, or .1, .2, ... when a restore of the same run was resumed
                movedAside = ssh.runForText(target.host(), firstFreeName(dir + ".before-restore-" + runId) + " mv -- "
                        + quote(dir) + " \"$t\" && printf '%s' \"$t\"", 4096).strip();
                LOG.info("Restore: moved {}:{} aside to {}", target.host(), dir, movedAside);
                requireState(target, TargetState.State.MISSING, "moving it aside to " + movedAside);
            }
            Progress progress = new Progress("restoring " + target.part().name() + " to " + target.host() + ":" + dir,
                    target.part().size(), Duration.ofSeconds(30), LOG::info);
            try (InputStream part = new ProgressInputStream(FullBackupPart.open(fullBackup, target.part().name()),
                    progress)) {
                extracting = true;
                // the part's entries are NAME/...: stripped of NAME, every one lands inside DIR, whatever DIR is called
                ssh.execute(target.host(), "mkdir -p -- " + quote(dir) + " && tar "
                        + FullBackupPart.tarDecompression(target.part().compression()) + " -xpf - -C " + quote(dir)
                        + " --strip-components=1" + (expected.rootMode() == null ? ""
                        : " && chmod " + Integer.toOctalString(expected.rootMode()) + " -- " + quote(dir)),
                        part, OutputStream.nullOutputStream());
            }
            // printf %.0f: awk's print turns sums past 2^31 into 2.14748e+09, and %d overflows in mawk
            String[] found = ssh.runForText(target.host(), "find " + quote(dir) + " -name '"
                    + TargetState.ASIDE_IN_MOUNT + "*' -prune -o -type f -printf '%i %s\\n'"
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
            return outcome(target, started, RestoreRecord.FAILED, movedAside, e.getMessage() + (extracting ? "; "
                    + target.host() + ":" + dir + " is left partly restored: the resume line below moves it aside"
                    + " and restores the part whole" : ""));
        }
    }

    /** Looks at the target again: it must be {@code expected}, else nothing more is done to it (or to any other). */
    private void requireState(RestoreTarget target, TargetState.State expected, String since)
            throws TargetChangedException {
        TargetState now = TargetState.of(ssh, target);
        if (now.state() != expected) {
            throw new TargetChangedException(target.host() + ":" + target.path() + " changed since " + since + ": it"
                    + " was " + expected + ", it is " + now.describe() + " now; the restore stopped before changing"
                    + " it");
        }
    }

    static RestoreRecord.PartOutcome outcome(RestoreTarget target, Instant started, String status,
                                             String movedAside, String error) {
        Instant finished = Instant.now();
        return new RestoreRecord.PartOutcome(target.part().name(), target.part().kind(), String.valueOf(target.host()),
                target.path(), status, target.part().size(), started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis(), movedAside, null, error);
    }

    /** Shell that sets {@code $t} to {@code name}, or {@code name.1}, {@code .2}, ... when it is taken. */
    private static String firstFreeName(String name) {
        return "t=" + quote(name) + "; n=1; while [ -e \"$t\" ]; do t=" + quote(name) + ".$n; n=$((n+1)); done;";
    }

}
