package org.wirebackup.source.cassandra;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.wirebackup.source.CaptureContext;
import org.wirebackup.source.CapturedFile;
import org.wirebackup.source.Compression;
import org.wirebackup.source.ShellPipeline;
import org.wirebackup.source.Source;
import org.wirebackup.source.SourceNames;
import org.wirebackup.source.SourceStepException;
import org.wirebackup.ssh.SshTarget;

/**
 * One Cassandra node, per run: pre-flight {@code nodetool status} beside {@code nodetool snapshot -t
 * wire-backup-<run id>}; a streamed tar of exactly that tag's snapshot directories (each with its schema.cql and
 * manifest.json), streamed only when the pre-flight passed; then {@code nodetool clearsnapshot -t} that tag, always, so
 * snapshots never pile up on the node's disk; a tag a killed run left is cleared by the next run. Each nodetool is a JVM started on the node (2-7 s on a busy host, measured in issue 13): the status runs
 * at the same time as the snapshot, and the clear-up beside the steps after the capture, which the run waits for.
 */
public record CassandraNodeSource(SshTarget host, CassandraSettings settings) implements Source {

    public static final String KIND = "cassandra";
    /** Between the parts of one command's output: nodetool's table, the configuration check, the zstd probe. */
    private static final String SECTION = "@@wire-backup: next";
    /** What every snapshot tag wire-backup makes starts with: tells its snapshots from an operator's. */
    public static final String SNAPSHOT_TAG_PREFIX = "wire-backup-";

    @Override
    public String name() {
        return "cassandra-" + SourceNames.of(host);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String remotePath() {
        return settings.dataDir();
    }

    @Override
    public Compression compression() {
        return settings.compression();
    }

    @Override
    public CapturedFile capture(CaptureContext context) throws SourceStepException {
        List<String> keyspaces = keyspaces(context);
        String tag = SNAPSHOT_TAG_PREFIX + context.runId();
        clearLeftoverSnapshots(context, keyspaces, tag);
        CompletableFuture<String> checks = context.beside("preflight", host, nodetool() + " status && "
                + section() + " && " + snapshotSettingsCheck() + " && " + section() + " && " + CaptureContext.PROBE);
        try {
            String listing;
            try {
                listing = context.text("snapshot", host, nodetool() + " snapshot -t " + quote(tag) + " "
                        + quoted(keyspaces) + " >&2 && cd -- " + quote(settings.dataDir()) + " && find "
                        + quoted(keyspaces) + " -mindepth 3 -maxdepth 3 -type d -path " + quote("*/snapshots/" + tag));
            } catch (SourceStepException snapshotFailed) {
                CaptureContext.await(checks); // a failed pre-flight says more (a node down, nodetool not reaching JMX)
                throw snapshotFailed;
            }
            String[] checked = CaptureContext.await(checks).split(java.util.regex.Pattern.quote(SECTION), 3);
            preflight(context, checked[0]);
            warnAboutSnapshotSettings(context, checked.length > 1 ? checked[1].strip() : "unreadable");
            List<String> dirs = snapshotDirs(listing, tag);
            recordTablePartitions(context, keyspaces);
            Compression used = context.available(host, settings.compression(), checked.length > 2 ? checked[2] : "");
            String script = ShellPipeline.tar(settings.dataDir(), dirs, used, settings.changedFiles());
            return context.stream("capture", host, script, name() + ".tar" + used.extension(), "tar", used);
        } finally {
            checks.exceptionally(e -> null).join();
            context.cleanUpLater("clearsnapshot", host, nodetool() + " clearsnapshot -t " + quote(tag));
        }
    }

    /**
     * Clears the snapshots that earlier runs of wire-backup took on this node and never cleared (the run was killed,
     * the host rebooted): their hard-linked SSTables pin disk space forever. Only tags wire-backup makes
     * ({@value #SNAPSHOT_TAG_PREFIX}run id) and not this run's: only one run is under way at a time (the run lock, and
     * the cluster's), so no running run owns them. An operator's own snapshots are never touched. Each one cleared
     * is named in a warning of the source.
     */
    private void clearLeftoverSnapshots(CaptureContext context, List<String> keyspaces, String ownTag)
            throws SourceStepException {
        String listing = context.text("clear-leftovers", host, "cd -- " + quote(settings.dataDir()) + " && find "
                + quoted(keyspaces) + " -mindepth 3 -maxdepth 3 -type d -path " + quote("*/snapshots/"
                + SNAPSHOT_TAG_PREFIX + "*") + " 2>/dev/null; true");
        java.util.SortedSet<String> leftovers = new java.util.TreeSet<>();
        for (String line : listing.split("\n")) {
            String tag = line.strip().substring(line.strip().lastIndexOf('/') + 1);
            if (tag.matches(java.util.regex.Pattern.quote(SNAPSHOT_TAG_PREFIX) + "\\d{8}T\\d{6}Z")
                    && !tag.equals(ownTag)) {
                leftovers.add(tag);
            }
        }
        for (String tag : leftovers) {
            context.text("clear-leftovers", host, nodetool() + " clearsnapshot -t " + quote(tag));
            String what = "cleared snapshot " + tag + " on " + host + ": left by run "
                    + tag.substring(SNAPSHOT_TAG_PREFIX.length()) + ", which did not finish (killed, or its host"
                    + " went down)";
            org.slf4j.LoggerFactory.getLogger(CassandraNodeSource.class).warn("Run {}: {}", context.runId(), what);
            context.warn(what);
        }
    }

    private static String section() {
        return "printf '%s\\n' " + quote(SECTION);
    }

    private void preflight(CaptureContext context, String statusOutput) throws SourceStepException {
        NodetoolStatus status = NodetoolStatus.parse(statusOutput);
        if (status.nodes().isEmpty()) {
            throw new SourceStepException("preflight", "nodetool status listed no nodes:\n" + status.table(),
                    "check backup.cassandra.nodetool: it must reach this node's JMX");
        }
        if (!status.allUpAndNormal()) {
            String down = status.notUpAndNormal().stream().map(n -> n.address() + " " + n.state())
                    .collect(Collectors.joining(", "));
            if (!settings.allowDegraded()) {
                throw new SourceStepException("preflight", "not every node is up and normal (" + down + "):\n"
                        + status.table(), "bring the nodes back, or set backup.cassandra.allow-degraded=true to back"
                        + " up a degraded cluster");
            }
            context.warn("degraded cluster, backed up anyway (backup.cassandra.allow-degraded): " + down);
        }
    }

    /** Prints the lines of cassandra.yaml that turn on snapshots of their own, or "unreadable". */
    private String snapshotSettingsCheck() {
        String file = quote(settings.configFile());
        return "if [ -r " + file + " ]; then grep -E "
                + quote("^[[:space:]]*(auto_snapshot|snapshot_before_compaction)[[:space:]]*:[[:space:]]*true") + " "
                + file + " || true; else echo unreadable; fi";
    }

    private void warnAboutSnapshotSettings(CaptureContext context, String found) {
        if (found.equals("unreadable")) {
            context.warn("cannot read " + settings.configFile() + " on " + host
                    + " to check auto_snapshot and snapshot_before_compaction (backup.cassandra.config-file)");
        } else if (!found.isEmpty()) {
            context.warn(settings.configFile() + " on " + host + " has " + found.replaceAll("\\s+", " ")
                    + ": set auto_snapshot and snapshot_before_compaction to false, as the procedure asks, or"
                    + " their snapshots fill the disk");
        }
    }

    private List<String> keyspaces(CaptureContext context) throws SourceStepException {
        if (!settings.keyspaces().isEmpty()) {
            return settings.keyspaces();
        }
        String listing = context.text("snapshot", host, "cd -- " + quote(settings.dataDir())
                + " && for d in */; do printf '%s\\n' \"${d%/}\"; done");
        List<String> keyspaces = Arrays.stream(listing.split("\n")).map(String::strip)
                .filter(k -> !k.isEmpty() && !k.equals("*") && !CassandraSettings.SYSTEM_KEYSPACES.contains(k))
                .sorted().toList();
        if (keyspaces.isEmpty()) {
            throw new SourceStepException("snapshot", "no keyspaces of Wire's in " + settings.dataDir() + " on " + host,
                    "check backup.cassandra.data-dir (the procedure's /mnt/cassandra/data/data)");
        }
        return keyspaces;
    }

    private List<String> snapshotDirs(String listing, String tag) throws SourceStepException {
        List<String> dirs = Arrays.stream(listing.split("\n")).map(String::strip).filter(d -> !d.isEmpty())
                .sorted().toList();
        if (dirs.isEmpty()) {
            throw new SourceStepException("snapshot", "nodetool snapshot -t " + tag + " left no snapshot directory"
                    + " under " + settings.dataDir() + " on " + host, "check backup.cassandra.data-dir");
        }
        return dirs;
    }

    /**
     * Each table's partitions as the node counts them right after the snapshot's flush: the figure a restore or drill
     * of this part must reach (a load that brings back nothing fails, even the first drill). Not reading them is a
     * warning, never a failed backup.
     */
    private void recordTablePartitions(CaptureContext context, List<String> keyspaces) {
        try {
            Map<String, Long> partitions = TableStats.partitions(context.text("tablestats", host, nodetool()
                    + " tablestats " + quoted(keyspaces)));
            if (partitions.isEmpty()) {
                context.warn("nodetool tablestats on " + host + " listed no table: a restore or drill of this backup"
                        + " cannot check its tables against the capture");
            }
            context.recordTablePartitions(partitions);
        } catch (SourceStepException e) {
            context.warn("nodetool tablestats failed on " + host + " (" + e.getMessage() + "): a restore or drill of"
                    + " this backup cannot check its tables against the capture");
        }
    }

    private String nodetool() {
        return NodetoolCommand.of(settings.nodetool());
    }

    private static String quoted(List<String> words) {
        return words.stream().map(w -> quote(w)).collect(Collectors.joining(" "));
    }
}
