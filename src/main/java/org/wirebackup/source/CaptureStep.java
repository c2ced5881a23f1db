package org.wirebackup.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.Hints;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.SourceRecord;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.StreamedFile;

/** Captures one source of a run: streams the remote archive to the run directory and records the outcome. */
public final class CaptureStep {

    public static final String STEP = "capture";
    private static final Logger LOG = LoggerFactory.getLogger(CaptureStep.class);

    private final RemoteCommandRunner ssh;

    public CaptureStep(RemoteCommandRunner ssh) {
        this.ssh = ssh;
    }

    public void capture(BackupRun.SourceCapture capture) throws StepFailedException {
        BackupRun run = capture.run();
        Source source = capture.source();
        Instant started = Instant.now();
        LOG.info("Run {}: capturing {} from {}:{}", run.id(), source.name(), source.host(), source.remotePath());
        try {
            StreamedFile file = ssh.streamToFile(source.host(), source.command(), run.dir().resolve(source.fileName()));
            Instant finished = Instant.now();
            run.record(record(source, started, finished, SourceRecord.OK, file.file().toString(), file.bytes(),
                    file.sha256(), file.exitStatus(), file.stderrTail(), null));
            LOG.info("Run {}: captured {} from {}: {} bytes, sha256 {}", run.id(), source.name(), source.host(),
                    file.bytes(), file.sha256());
        } catch (RemoteCommandException e) {
            run.record(record(source, started, Instant.now(), SourceRecord.FAILED, null, null, null, e.exitStatus(),
                    e.stderrTail(), new SourceRecord.StepError(STEP, e.getMessage())));
            throw new StepFailedException(run.id(), STEP, source.host().toString(), source.name(), e.getMessage(),
                    e.stderrTail(), Hints.forRemoteFailure(e), e);
        }
    }

    private SourceRecord record(Source source, Instant started, Instant finished, String status, String file,
                                Long bytes, String sha256, Integer exitStatus, String stderrTail,
                                SourceRecord.StepError error) {
        return new SourceRecord(source.name(), source.kind(), source.host().toString(), source.remotePath(),
                source.compression().toString(), source.command(), file, status, bytes, sha256, started.toString(),
                finished.toString(), Duration.between(started, finished).toMillis(), exitStatus,
                stderrTail == null || stderrTail.isEmpty() ? null : stderrTail, error, List.of());
    }
}
