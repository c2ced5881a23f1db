package org.wirebackup.source.cassandra;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.util.Arrays;
import java.util.List;
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
 * One Cassandra node, per run: pre-flight {@code nodetool status}; {@code nodetool snapshot -t <run id>}; a streamed
 * tar of exactly that tag's snapshot directories (each with its schema.cql and manifest.json); then
 * {@code nodetool clearsnapshot -t <run id>}, always, so snapshots never pile up on the node's disk.
 */
public record CassandraNodeSource(SshTarget host, CassandraSettings settings) implements Source {

    public static final String KIND = "cassandra";
    /** Between the parts of one command's output: nodetool's table, then the configuration check. */
    private static final String SECTION = "@@wire-backup: cassandra.yaml";

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
        // each remote command is a session of its own (0.2-0.9 s before it runs): the checks share one, and the
        // snapshot and the search for its directories another
        String[] preflight = context.text("preflight", host, nodetool() + " status && printf '%s\\n' "
                + quote(SECTION) + " && " + snapshotSettingsCheck()).split(java.util.regex.Pattern.quote(SECTION), 2);
        preflight(context, preflight[0]);
        warnAboutSnapshotSettings(context, preflight.length > 1 ? preflight[1].strip() : "unreadable");
        List<String> keyspaces = keyspaces(context);
        String tag = context.runId();
        try {
            List<String> dirs = snapshotDirs(context.text("snapshot", host, nodetool() + " snapshot -t " + quote(tag)
                    + " " + quoted(keyspaces) + " >&2 && cd -- " + quote(settings.dataDir()) + " && find "
                    + quoted(keyspaces) + " -mindepth 3 -maxdepth 3 -type d -path " + quote("*/snapshots/" + tag)), tag);
            Compression used = context.available(host, settings.compression());
            String script = ShellPipeline.tar(settings.dataDir(), dirs, used, settings.changedFiles());
            return context.stream("capture", host, script, name() + ".tar" + used.extension(), "tar", used);
        } finally {
            clearSnapshot(context, tag);
        }
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

    private void clearSnapshot(CaptureContext context, String tag) {
        try {
            context.text("clearsnapshot", host, nodetool() + " clearsnapshot -t " + quote(tag));
        } catch (SourceStepException e) {
            context.cleanupFailed(e);
        }
    }

    private String nodetool() {
        return settings.nodetool().stream().map(w -> quote(w)).collect(Collectors.joining(" "));
    }

    private static String quoted(List<String> words) {
        return words.stream().map(w -> quote(w)).collect(Collectors.joining(" "));
    }
}
