package org.wirebackup.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.wirebackup.io.DurableFiles;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;
import org.wirebackup.ssh.StreamedFile;

/** What a source works with during one run: the SSH layer, the run's id and directory, and its warnings. */
public final class CaptureContext {

    private static final int TEXT_LIMIT = 1024 * 1024;

    private final RemoteCommandRunner ssh;
    private final String runId;
    private final Path runDir;
    private final List<String> warnings = new ArrayList<>();
    private final List<SourceStepException> cleanupFailures = new ArrayList<>();

    public CaptureContext(RemoteCommandRunner ssh, String runId, Path runDir) {
        this.ssh = ssh;
        this.runId = runId;
        this.runDir = runDir;
    }

    public RemoteCommandRunner ssh() {
        return ssh;
    }

    public String runId() {
        return runId;
    }

    public Path runDir() {
        return runDir;
    }

    public synchronized void warn(String warning) {
        warnings.add(warning);
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** A clean-up step that failed after the data was captured: the capture stands, the failure is alerted. */
    public synchronized void cleanupFailed(SourceStepException failure) {
        warnings.add(failure.step() + " failed: " + failure.getMessage());
        cleanupFailures.add(failure);
    }

    public synchronized List<SourceStepException> cleanupFailures() {
        return List.copyOf(cleanupFailures);
    }

    /** The output of a small command; a failure becomes a failure of {@code step}. */
    public String text(String step, SshTarget host, String script) throws SourceStepException {
        try {
            return ssh.runForText(host, script, TEXT_LIMIT);
        } catch (RemoteCommandException e) {
            throw SourceStepException.of(step, e);
        }
    }

    /** The script's stdout streamed to {@code fileName} in the run directory. */
    public CapturedFile stream(String step, SshTarget host, String script, String fileName, String format,
                               Compression used) throws SourceStepException {
        try {
            StreamedFile file = ssh.streamToFile(host, script, runDir.resolve(fileName));
            return new CapturedFile(file.file(), file.bytes(), file.sha256(), format, used, script,
                    file.exitStatus(), file.stderrTail());
        } catch (RemoteCommandException e) {
            throw SourceStepException.of(step, e);
        }
    }

    /**
     * The compression to use on this host: zstd only where the host has it, else none (with a warning) rather
     * than a slow fallback. gzip is part of every Wire host, as the procedure assumes.
     */
    public Compression available(SshTarget host, Compression wanted) throws SourceStepException {
        if (wanted.kind() != Compression.Kind.ZSTD) {
            return wanted;
        }
        String found = text("probe", host, "command -v zstd >/dev/null 2>&1 && echo yes || echo no").trim();
        if ("yes".equals(found)) {
            return wanted;
        }
        warn("zstd is not installed on " + host + ": captured without compression (install zstd there)");
        return Compression.none();
    }

    /** Where a file of this run is written before it is complete. */
    public Path partialOf(String fileName) {
        return DurableFiles.partialOf(runDir.resolve(fileName));
    }

    public void putInPlace(Path partial, String fileName) throws IOException {
        DurableFiles.moveIntoPlace(partial, runDir.resolve(fileName));
    }
}
