package org.wirebackup.archive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.SourceRecord;

/**
 * Checks a captured part before it joins the full backup: the remote command exited 0, the file is not empty, has
 * the size and SHA-256 measured while it streamed in, its compressed stream decodes to the end and its tar has
 * entries. A bad part fails its source and the run, naming the part and the reason.
 */
public final class VerifyStep {

    public static final String STEP = "verify";
    private static final Logger LOG = LoggerFactory.getLogger(VerifyStep.class);

    public void verify(BackupRun.PartOfRun item) throws StepFailedException {
        BackupRun run = item.run();
        SourceRecord part = item.part();
        PartCheck check;
        if (part.exitStatus() != null && part.exitStatus() != 0) {
            check = new PartCheck(part.file(), 0, null, null, "its command exited with status " + part.exitStatus());
        } else {
            check = PartVerifier.check(run.dir().resolve(part.file()), new PartVerifier.Expected(part.file(),
                    part.format(), part.compression(), part.bytes(), part.sha256(),
                    PartVerifier.rootOf(part.kind(), part.remotePath())));
        }
        if (!check.ok()) {
            String message = "part " + part.file() + " " + check.problem();
            run.record(part.failedAt(STEP, message));
            throw new StepFailedException(run.id(), STEP, part.host(), part.name(), message, "",
                    "the part is not a good backup: look at the source host and the disk under backup.dir", null);
        }
        SourceRecord verified = part.verified(check.entries());
        for (String warning : check.warnings()) {
            verified = verified.warned(warning);
            LOG.warn("Run {}: {}: {}", run.id(), part.file(), warning);
        }
        run.recordVerified(verified);
        LOG.info("Run {}: verified {}: {} bytes, sha256 ok{}", run.id(), part.file(), check.bytes(),
                check.entries() == null ? "" : ", " + check.entries() + " tar entries");
    }
}
