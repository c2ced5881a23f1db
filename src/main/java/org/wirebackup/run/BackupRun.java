package org.wirebackup.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wirebackup.source.Source;
import java.util.Set;
import java.util.HashSet;

/** A run under way: what it captures and what each source has produced so far. Safe to update from many threads. */
public final class BackupRun {

    private final String id;
    private final Path dir;
    private final String trigger;
    private final Instant startedAt;
    private final String toolVersion;
    private final List<Source> sources;
    private final Map<String, SourceRecord> results = new LinkedHashMap<>();
    private final String skippedBecause;
    private RunRecord finalRecord;
    private RunLock lock;
    private volatile Fence fence = Fence.NONE;
    private SourceRecord.StepError stoppedAt;
    private RunRecord.FullBackupRecord fullBackup;
    private final List<DestinationRecord> destinations = new ArrayList<>();
    private final List<CleanupOfRun> cleanups = new ArrayList<>();
    private final Set<String> verified = new HashSet<>();

    BackupRun(String id, Path dir, String trigger, Instant startedAt, String toolVersion, List<Source> sources) {
        this.id = id;
        this.dir = dir;
        this.trigger = trigger;
        this.startedAt = startedAt;
        this.toolVersion = toolVersion;
        this.sources = List.copyOf(sources);
        this.skippedBecause = null;
    }

    private BackupRun(String trigger, String skippedBecause) {
        this.id = null;
        this.dir = null;
        this.trigger = trigger;
        this.startedAt = Instant.now();
        this.toolVersion = null;
        this.sources = List.of();
        this.skippedBecause = skippedBecause;
    }

    static BackupRun skippedRun(String trigger, String because) {
        return new BackupRun(trigger, because);
    }

    public boolean isSkipped() {
        return skippedBecause != null;
    }

    public String skippedBecause() {
        return skippedBecause;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String toolVersion() {
        return toolVersion;
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    /** One item per source, for the capture split. */
    public List<SourceCapture> captures() {
        return sources.stream().map(s -> new SourceCapture(this, s)).toList();
    }

    public synchronized void record(SourceRecord result) {
        results.put(result.name(), result);
        if (!result.ok()) {
            verified.remove(result.name());
        }
    }

    public synchronized void cleanUpLater(String source, org.wirebackup.source.PendingCleanup cleanup) {
        cleanups.add(new CleanupOfRun(source, cleanup));
    }

    /** The clean-ups the sources started, which the run waits for before it ends. */
    public synchronized List<CleanupOfRun> cleanups() {
        return List.copyOf(cleanups);
    }

    /** A warning about a source that came after its record (a failed clean-up). */
    public synchronized void warn(String source, String warning) {
        SourceRecord result = results.get(source);
        if (result != null) {
            results.put(source, result.warned(warning));
        }
    }

    /** A part that passed verification: only such parts may go into the full backup. */
    public synchronized void recordVerified(SourceRecord part) {
        record(part);
        verified.add(part.name());
    }

    /** The configured sources that have no captured part (no record, or a failed one), in configuration order. */
    public synchronized List<String> sourcesNotCaptured() {
        return sources.stream().map(Source::name).filter(n -> results.get(n) == null || !results.get(n).ok()).toList();
    }

    /** The configured sources whose part is not (yet) verified: a full backup is made only when this is empty. */
    public synchronized List<String> sourcesNotVerified() {
        return sources.stream().map(Source::name).filter(n -> !verified.contains(n)).toList();
    }

    /** A step that stopped the whole run (a failed pre-flight or aggregation): the later steps do not run. */
    public synchronized void stop(String step, String message) {
        if (stoppedAt == null) {
            stoppedAt = new SourceRecord.StepError(step, message);
        }
    }

    public synchronized SourceRecord.StepError stoppedAt() {
        return stoppedAt;
    }

    /** True while nothing has failed: every source so far is good and no step stopped the run. */
    public synchronized boolean proceeding() {
        return stoppedAt == null && results.values().stream().allMatch(SourceRecord::ok);
    }

    /** The full backup the run made; null when a check found it bad and removed it. */
    public synchronized void madeFullBackup(RunRecord.FullBackupRecord backup) {
        this.fullBackup = backup;
    }

    public synchronized RunRecord.FullBackupRecord fullBackup() {
        return fullBackup;
    }

    public synchronized void recordDestination(DestinationRecord result) {
        destinations.add(result);
    }

    public synchronized List<DestinationRecord> destinations() {
        return List.copyOf(destinations);
    }

    /** The captured parts not verified yet, one item each, for the verification split. */
    public synchronized List<PartOfRun> parts() {
        return results.values().stream().filter(SourceRecord::ok).filter(r -> !verified.contains(r.name()))
                .map(r -> new PartOfRun(this, r)).toList();
    }

    /** The part a source just captured, to verify beside the captures still under way. */
    public synchronized PartOfRun capturedPart(String source) {
        SourceRecord result = results.get(source);
        if (result == null || !result.ok()) {
            throw new IllegalStateException("no captured part of " + source);
        }
        return new PartOfRun(this, result);
    }

    public synchronized List<SourceRecord> results() {
        return new ArrayList<>(results.values());
    }

    /** The record as of now: sources without a result yet show as pending. */
    synchronized RunRecord snapshot(RunStatus status, Instant finishedAt, String error) {
        List<SourceRecord> all = new ArrayList<>();
        long total = 0;
        for (Source source : sources) {
            SourceRecord result = results.get(source.name());
            if (result == null) {
                result = new SourceRecord(source.name(), source.kind(), source.host().toString(), source.remotePath(),
                        source.compression().toString(), null, null, null, finishedAt == null ? "pending" : "not run",
                        null, null, null, null, null, null, null, null, null, List.of(), null);
            }
            total += result.ok() && result.bytes() != null ? result.bytes() : 0;
            all.add(result);
        }
        Long millis = finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
        return new RunRecord(RunRecord.FORMAT_VERSION, id, status, trigger, startedAt.toString(),
                finishedAt == null ? null : finishedAt.toString(), millis, toolVersion, dir.toString(), total, all,
                fullBackup, destinations, error);
    }

    synchronized void finished(RunRecord record) {
        this.finalRecord = record;
    }

    /** The final record once the run has ended, else null. */
    public synchronized RunRecord finalRecord() {
        return finalRecord;
    }

    /** The cluster's fence: asked before this run links a copy into place, completes an upload or prunes. */
    public Fence fence() {
        return fence;
    }

    void fenceWith(Fence fence) {
        this.fence = fence;
    }

    synchronized void holdLock(RunLock held) {
        this.lock = held;
    }

    synchronized RunLock releaseLock() {
        RunLock held = lock;
        lock = null;
        return held;
    }

    /** A source to capture within this run: the body of each capture exchange. */
    public record SourceCapture(BackupRun run, Source source) {
    }

    /** A source's clean-up under way, which the run waits for before it ends. */
    public record CleanupOfRun(String source, org.wirebackup.source.PendingCleanup cleanup) {
    }

    /** A captured part to verify: the body of each verification exchange. */
    public record PartOfRun(BackupRun run, SourceRecord part) {
    }
}
