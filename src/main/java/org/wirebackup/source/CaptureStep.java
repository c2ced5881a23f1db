package org.wirebackup.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.SourceRecord;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * Captures one source of a run and records the outcome. A failed step fails the source and goes to the alert
 * route. A source's clean-up (a snapshot to clear) runs beside the steps after the capture; the run waits for it
 * before it ends, and a failed one (a snapshot left on a node) is a warning of the source and an alert.
 */
public final class CaptureStep {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureStep.class);

    private final RemoteCommandRunner ssh;

    public CaptureStep(RemoteCommandRunner ssh) {
        this.ssh = ssh;
    }

    public void capture(BackupRun.SourceCapture capture) throws StepFailedException {
        BackupRun run = capture.run();
        Source source = capture.source();
        CaptureContext context = new CaptureContext(ssh, run.id(), run.dir());
        Instant started = Instant.now();
        LOG.info("Run {}: capturing {} from {}:{}", run.id(), source.name(), source.host(), source.remotePath());
        try {
            CapturedFile file = source.capture(context);
            Instant finished = Instant.now();
            run.record(new SourceRecord(source.name(), source.kind(), source.host().toString(), source.remotePath(),
                    file.compression().toString(), file.format(), SecretRedaction.redact(file.command()),
                    file.file().getFileName().toString(), SourceRecord.OK, file.bytes(), file.sha256(), null,
                    started.toString(), finished.toString(), Duration.between(started, finished).toMillis(),
                    file.exitStatus(), blankToNull(SecretRedaction.redact(file.stderrTail())),
                    null, context.warnings(), context.tablePartitions()));
            LOG.info("Run {}: captured {} from {}: {} bytes, sha256 {}", run.id(), source.name(), source.host(),
                    file.bytes(), file.sha256());
            context.warnings().forEach(w -> LOG.warn("Run {}: {}: {}", run.id(), source.name(), w));
        } catch (SourceStepException | RuntimeException e) {
            SourceStepException failure = e instanceof SourceStepException step ? step
                    : new SourceStepException("capture", "unexpected error: " + e, null, "",
                            "this is a wire-backup bug or an unusual host: the log has the details", e);
            if (!(e instanceof SourceStepException)) {
                LOG.error("Run {}: capturing {} failed unexpectedly", run.id(), source.name(), e);
            }
            recordFailure(run, source, context, started, failure);
            throw failure(run, source, failure);
        } finally {
            context.pendingCleanups().forEach(cleanup -> run.cleanUpLater(source.name(), cleanup));
        }
    }

    /**
     * Waits for the sources' clean-ups, whatever became of the run (they always run); each failure becomes a
     * warning of its source and goes to {@code alerts}.
     */
    public void awaitCleanups(BackupRun run, java.util.function.Consumer<StepFailedException> alerts) {
        for (BackupRun.CleanupOfRun item : run.cleanups()) {
            PendingCleanup cleanup = item.cleanup();
            try {
                cleanup.await();
            } catch (SourceStepException e) {
                String message = SecretRedaction.redact(e.getMessage());
                String stderr = blankToNull(SecretRedaction.redact(e.stderrTail()));
                run.warn(item.source(), e.step() + " failed: " + message + (stderr == null ? ""
                        : " (" + tail(stderr.strip(), 500) + ")"));
                LOG.warn("Run {}: {}: {} failed: {}", run.id(), item.source(), e.step(), message);
                alerts.accept(new StepFailedException(run.id(), e.step(), cleanup.host().toString(), item.source(),
                        message, SecretRedaction.redact(e.stderrTail()), e.hint(), e));
            }
        }
    }

    /**
     * After every capture has ended: a configured source that left no record at all (its capture never ran, or
     * failed outside this step) stops the run, so nothing is aggregated without it.
     */
    public void requireEverySource(BackupRun run) throws StepFailedException {
        List<String> unrecorded = run.sourcesNotCaptured().stream()
                .filter(name -> run.results().stream().noneMatch(r -> r.name().equals(name))).toList();
        if (!unrecorded.isEmpty()) {
            String message = "no capture result for " + String.join(", ", unrecorded) + ": the run stops here";
            run.stop("capture", message);
            throw new StepFailedException(run.id(), "capture", "local", String.join(",", unrecorded), message, "",
                    "the log has the error that ended the capture", null);
        }
    }

    private static void recordFailure(BackupRun run, Source source, CaptureContext context, Instant started,
                                      SourceStepException e) {
        Instant finished = Instant.now();
        run.record(new SourceRecord(source.name(), source.kind(), source.host().toString(), source.remotePath(),
                source.compression().toString(), null, null, null, SourceRecord.FAILED, null, null, null,
                started.toString(), finished.toString(), Duration.between(started, finished).toMillis(),
                e.exitStatus(), blankToNull(SecretRedaction.redact(e.stderrTail())),
                new SourceRecord.StepError(e.step(), SecretRedaction.redact(e.getMessage())),
                context.warnings(), null));
    }

    private static StepFailedException failure(BackupRun run, Source source, SourceStepException e) {
        return new StepFailedException(run.id(), e.step(), source.host().toString(), source.name(),
                SecretRedaction.redact(e.getMessage()), SecretRedaction.redact(e.stderrTail()), e.hint(), e);
    }

    private static String tail(String text, int max) {
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
