package org.wirebackup.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.wirebackup.io.DurableFiles;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;
import org.wirebackup.ssh.StreamedFile;
import org.wirebackup.io.DaemonThreads;

/** What a source works with during one run: the SSH layer, the run's id and directory, and its warnings. */
public final class CaptureContext {

    private static final int TEXT_LIMIT = 1024 * 1024;
    /** Commands run beside a source's own (checks, clean-ups): each waits on its host, not on this machine. */
    private static final ExecutorService BESIDE = Executors.newCachedThreadPool(
            DaemonThreads.named("remote-command-beside"));

    private final RemoteCommandRunner ssh;
    private final String runId;
    private final Path runDir;
    private final List<String> warnings = new ArrayList<>();
    private final java.util.Map<String, Long> tablePartitions = new java.util.TreeMap<>();
    private final List<PendingCleanup> cleanups = new ArrayList<>();

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

    /** A Cassandra node's tables' partitions at capture, for the manifest: what a restore or drill must reach. */
    public synchronized void recordTablePartitions(java.util.Map<String, Long> partitions) {
        tablePartitions.putAll(partitions);
    }

    /** Null when none were recorded (every source but a Cassandra node). */
    public synchronized java.util.Map<String, Long> tablePartitions() {
        return tablePartitions.isEmpty() ? null
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tablePartitions));
    }

    public synchronized void warn(String warning) {
        warnings.add(warning);
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Starts a clean-up command (a snapshot to clear) that the run waits for before it ends, not the capture: it runs
     * beside the steps after the capture. Its failure leaves the capture standing, and is a warning and an alert.
     */
    public synchronized void cleanUpLater(String step, SshTarget host, String script) {
        cleanups.add(new PendingCleanup(step, host, beside(step, host, script)));
    }

    public synchronized List<PendingCleanup> pendingCleanups() {
        return List.copyOf(cleanups);
    }

    /** Starts a small command on another channel, to run at the same time as this thread's next one. */
    public CompletableFuture<String> beside(String step, SshTarget host, String script) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return text(step, host, script);
            } catch (SourceStepException e) {
                throw new CompletionException(e);
            }
        }, BESIDE);
    }

    /** The output of a command started {@link #beside}, or its failure. */
    public static String await(CompletableFuture<String> command) throws SourceStepException {
        try {
            return command.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SourceStepException step) {
                throw step;
            }
            throw e;
        }
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
        return available(host, wanted, text("probe", host, PROBE));
    }

    /** Prints yes or no: whether the host has zstd. A source may run it as part of a command of its own. */
    public static final String PROBE = "command -v zstd >/dev/null 2>&1 && echo yes || echo no";

    /** As {@link #available(SshTarget, Compression)}, given what {@link #PROBE} printed there. */
    public Compression available(SshTarget host, Compression wanted, String probed) {
        if (wanted.kind() != Compression.Kind.ZSTD || "yes".equals(probed.trim())) {
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
