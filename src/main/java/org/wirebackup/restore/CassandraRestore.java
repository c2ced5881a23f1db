package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.io.Progress;
import org.wirebackup.io.ProgressInputStream;
import org.wirebackup.source.cassandra.CassandraSettings;
import org.wirebackup.source.cassandra.CqlSessions;
import org.wirebackup.source.cassandra.NodetoolCommand;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;

/**
 * Restores the Cassandra parts of a full backup, as README's runbook did by hand: the keyspaces' schema first,
 * through the CQL tunnel the backup uses (what exists is kept); then every node's snapshot, unpacked on its target
 * node in a staging directory of its own, every table staged as {@code <keyspace>/<table>/} and streamed into the
 * cluster with {@code sstableloader} (any size and topology; the staging is removed after); then a row count per
 * table. A keyspace that holds data is only loaded into with {@code --replace}, which first snapshots it on the
 * nodes as {@code before-restore-<run id>} and truncates its tables.
 */
public final class CassandraRestore {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraRestore.class);
    private static final int SCHEMA_LIMIT = 64 * 1024 * 1024;
    private static final Duration LONG_STATEMENT = Duration.ofMinutes(10);
    private static final Pattern CASSANDRA_TABLE = Pattern.compile("\\w{1,222}/\\w{1,222}");

    private final RemoteCommandRunner ssh;
    private final RestoreSettings settings;
    private final CassandraSettings cassandra;
    private final boolean scratchCluster;
    private final List<String> replicationChanges = new ArrayList<>();

    public CassandraRestore(RemoteCommandRunner ssh, RestoreSettings settings) {
        this(ssh, settings, false);
    }

    private CassandraRestore(RemoteCommandRunner ssh, RestoreSettings settings, boolean scratchCluster) {
        this.ssh = ssh;
        this.settings = settings;
        this.cassandra = settings.cassandra();
        this.scratchCluster = scratchCluster;
    }

    /**
     * For a drill: loads into a scratch cluster, fitting each keyspace's replication to it ({@link ScratchReplication});
     * a restore keeps the replication the backup recorded.
     */
    public static CassandraRestore intoScratchCluster(RemoteCommandRunner ssh, RestoreSettings settings) {
        return new CassandraRestore(ssh, settings, true);
    }

    public static boolean isCassandra(RestoreTarget target) {
        return target.part().kind().equals("cassandra") || target.part().kind().equals("cassandra-schema");
    }

    /** What the cluster holds now of the keyspaces the backup would load; never throws. */
    public KeyspaceState state(FullBackupFile fullBackup, List<RestoreTarget> targets) {
        try {
            Collection<String> keyspaces = keyspaces(fullBackup, targets);
            return withSession(cqlHost(targets), session -> KeyspaceState.read(session, keyspaces.isEmpty()
                    ? userKeyspaces(session) : keyspaces));
        } catch (RemoteCommandException | IOException | RuntimeException e) {
            return KeyspaceState.unreadable(e.getMessage());
        }
    }

    /**
     * Restores every Cassandra line given, schema first; one outcome per part, and the rows per table found after. A
     * table whose rows fall short of what the backed-up nodes counted at capture fails the node parts.
     *
     * @param maxShortfall     how far below the capture's per-table figures the rows may fall ({@link CapturedFigures})
     * @param shortfallSetting the setting that allows it, for the message
     */
    public List<RestoreRecord.PartOutcome> restore(FullBackupFile fullBackup, String runId, List<RestorePlan.Line> lines,
                                            KeyspaceState before, boolean replace, Map<String, Long> rowsAfter,
                                            double maxShortfall, String shortfallSetting) {
        List<RestoreTarget> targets = lines.stream().map(RestorePlan.Line::target).toList();
        List<RestoreTarget> nodes = targets.stream().filter(t -> t.part().kind().equals("cassandra")).toList();
        RestoreTarget schema = targets.stream().filter(t -> t.part().kind().equals("cassandra-schema")).findFirst()
                .orElse(null);
        List<RestoreRecord.PartOutcome> outcomes = new ArrayList<>();
        Instant started = Instant.now();
        String replaced = null;
        try {
            if (replace && !before.holdingData().isEmpty()) {
                replaced = snapshotAndTruncate(runId, before.holdingData(), targets);
            }
            if (schema != null) {
                int statements = applySchema(fullBackup, schema);
                outcomes.add(outcome(schema, started, RestoreRecord.OK, replaced, statements
                        + " schema statements applied (IF NOT EXISTS)" + (replicationChanges.isEmpty() ? ""
                        : "; keyspace " + String.join("; keyspace ", replicationChanges)), null));
                replaced = null;
            }
        } catch (RemoteCommandException | IOException | RuntimeException e) {
            String why = (schema != null ? "the schema" : "snapshot and truncate") + " failed: " + why(e);
            if (schema != null) {
                outcomes.add(outcome(schema, started, RestoreRecord.FAILED, replaced, null, why));
            }
            for (RestoreTarget node : nodes) {
                outcomes.add(outcome(node, Instant.now(), RestoreRecord.FAILED, null, null, "not loaded: " + why));
            }
            return outcomes;
        }
        for (RestoreTarget node : nodes) {
            outcomes.add(loadNode(fullBackup, node, replaced));
            replaced = null;
        }
        try {
            Collection<String> keyspaces = keyspaces(fullBackup, targets);
            rowsAfter.putAll(withSession(cqlHost(targets), session -> rowCounts(session,
                    keyspaces.isEmpty() ? userKeyspaces(session) : keyspaces)));
        } catch (RemoteCommandException | IOException | RuntimeException e) {
            LOG.warn("Restore: could not count the rows of the restored tables: {}", e.getMessage());
            return outcomes;
        }
        List<String> shortfalls = CapturedFigures.shortfalls(CapturedFigures.of(nodes.stream()
                .map(RestoreTarget::part).toList()), rowsAfter, maxShortfall, shortfallSetting);
        if (shortfalls.isEmpty()) {
            return outcomes;
        }
        shortfalls.forEach(s -> LOG.error("Restore: {}", s));
        String why = "loaded, but " + shortfalls.size() + " tables fall short of the capture: "
                + String.join("; ", shortfalls.subList(0, Math.min(5, shortfalls.size())))
                + (shortfalls.size() > 5 ? "; ..." : "");
        return outcomes.stream().map(o -> o.ok() && o.kind().equals("cassandra") ? new RestoreRecord.PartOutcome(
                o.name(), o.kind(), o.host(), o.path(), RestoreRecord.FAILED, o.bytes(), o.startedAt(),
                o.finishedAt(), o.durationMillis(), o.movedAside(), o.detail(), why) : o).toList();
    }

    /** Drops keyspaces this process created (a drill's, on its scratch cluster); never one it found there. */
    public void dropKeyspaces(List<RestoreTarget> targets, List<String> keyspaces) throws RemoteCommandException {
        withSession(cqlHost(targets), session -> {
            for (String keyspace : keyspaces) {
                session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS \"" + keyspace.replace("\"", "\"\"")
                        + "\"").setTimeout(LONG_STATEMENT));
            }
            return null;
        });
    }

    /** Every node the cluster reports, each matched to the SSH host that is it (see {@link ClusterNodes}). */
    public ClusterNodes nodes(List<RestoreTarget> targets) {
        SshTarget statusHost = cqlHost(targets);
        Set<SshTarget> known = new LinkedHashSet<>();
        targets.stream().filter(t -> t.part().kind().equals("cassandra")).map(RestoreTarget::host).forEach(known::add);
        known.addAll(settings.cassandraHosts());
        known.add(statusHost);
        return ClusterNodes.read(ssh, cassandra.nodetool(), statusHost, known);
    }

    /**
     * Snapshots the keyspaces on every node the cluster reports, then truncates their tables. A TRUNCATE empties a
     * table on every node, so a node that is down or cannot be reached stops it here, before anything is truncated
     * (the plan refused it already; this is the same look, right before the change).
     */
    private String snapshotAndTruncate(String runId, List<String> keyspaces, List<RestoreTarget> targets)
            throws RemoteCommandException, IOException {
        SshTarget cqlHost = cqlHost(targets);
        ClusterNodes cluster = nodes(targets);
        String unsafe = cluster.whyNotEveryNode();
        if (unsafe != null) {
            throw new IOException("not every node can be snapshotted before the truncate: " + unsafe
                    + "; nothing was truncated");
        }
        List<SshTarget> hosts = cluster.sshHosts();
        String tag = freeSnapshotTag("before-restore-" + runId, hosts);
        for (SshTarget host : hosts) {
            ssh.runForText(host, NodetoolCommand.of(cassandra.nodetool()) + " snapshot -t " + quote(tag) + " "
                    + keyspaces.stream().map(k -> quote(k)).collect(Collectors.joining(" ")), 64 * 1024);
            LOG.info("Restore: snapshot {} of {} taken on {}", tag, keyspaces, host);
        }
        withSession(cqlHost, session -> {
            for (String keyspace : keyspaces) {
                KeyspaceMetadata metadata = session.getMetadata().getKeyspace(keyspace).orElseThrow();
                for (TableMetadata table : metadata.getTables().values()) {
                    session.execute(SimpleStatement.newInstance("TRUNCATE " + metadata.getName().asCql(true) + "."
                            + table.getName().asCql(true)).setTimeout(LONG_STATEMENT));
                }
            }
            return null;
        });
        return "snapshot " + tag + " of " + String.join(", ", keyspaces) + " on " + hosts.stream()
                .map(String::valueOf).collect(Collectors.joining(", ")) + " (nodetool listsnapshots), then truncated";
    }

    /**
     * The tag, or {@code TAG-2}, {@code -3}, ... when a restore of the same run took it already on some node
     * ({@code nodetool snapshot} refuses a tag that exists): a snapshot taken before an earlier restore is kept.
     */
    private String freeSnapshotTag(String base, List<SshTarget> hosts) throws RemoteCommandException {
        for (int n = 1; ; n++) {
            String tag = n == 1 ? base : base + "-" + n;
            boolean taken = false;
            for (SshTarget host : hosts) {
                taken |= !ssh.runForText(host, "for d in " + quote(cassandra.dataDir()) + "/*/*/snapshots/" + quote(tag)
                        + "; do [ -e \"$d\" ] && { echo taken; break; }; done; true", 64).isBlank();
            }
            if (!taken) {
                return tag;
            }
        }
    }

    private int applySchema(FullBackupFile fullBackup, RestoreTarget schema) throws RemoteCommandException, IOException {
        CassandraSchemaFile file = CassandraSchemaFile.parse(schemaText(fullBackup, schema));
        return withSession(schema.host(), session -> {
            Map<String, Integer> datacenters = new TreeMap<>();
            session.getMetadata().getNodes().values().stream().filter(n -> n.getDatacenter() != null)
                    .forEach(n -> datacenters.merge(n.getDatacenter(), 1, Integer::sum));
            for (String statement : file.statements()) {
                if (scratchCluster) {
                    ScratchReplication.Fitted fitted = ScratchReplication.fit(statement, datacenters);
                    if (fitted.change() != null) {
                        LOG.info("Drill: keyspace {}", fitted.change());
                        replicationChanges.add(fitted.change());
                    }
                    statement = fitted.statement();
                }
                session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofMinutes(2)));
            }
            LOG.info("Restore: {} schema statements applied through {} (keyspaces {})", file.statements().size(),
                    schema.host(), file.keyspaces());
            return file.statements().size();
        });
    }

    private RestoreRecord.PartOutcome loadNode(FullBackupFile fullBackup, RestoreTarget node, String replaced) {
        Instant started = Instant.now();
        String stage = null;
        try {
            stage = ssh.runForText(node.host(), "mkdir -p -- " + quote(settings.stagingDir()) + " && mktemp -d "
                    + quote(settings.stagingDir() + "/wire-backup-restore-XXXXXXXX"), 4096).strip();
            // the one directory this restore may remove again: the one mktemp just made
            if (!stage.matches(Pattern.quote(settings.stagingDir()) + "/wire-backup-restore-[A-Za-z0-9]+")) {
                String made = stage;
                stage = null;
                throw new IOException("mktemp printed '" + made + "', not a directory under " + settings.stagingDir());
            }
            Progress progress = new Progress("restoring " + node.part().name() + " to " + node.host(),
                    node.part().size(), Duration.ofSeconds(30), LOG::info);
            try (InputStream part = new ProgressInputStream(FullBackupPart.open(fullBackup, node.part().name()),
                    progress)) {
                ssh.execute(node.host(), "cd -- " + quote(stage) + " && mkdir raw && tar "
                        + FullBackupPart.tarDecompression(node.part().compression()) + " -xf - -C raw", part, OutputStream.nullOutputStream());
            }
            List<String> tables = stageTables(node.host(), stage);
            if (tables.isEmpty()) {
                throw new IOException("the part holds no table snapshot (<keyspace>/<table>-<id>/snapshots/<tag>/)");
            }
            loadTables(node, stage, tables);
            return outcome(node, started, RestoreRecord.OK, replaced, tables.size() + " tables loaded with sstableloader ("
                    + Math.min(settings.parallelLoads(), tables.size()) + " at a time)", null);
        } catch (RemoteCommandException | IOException | RuntimeException e) {
            return outcome(node, started, RestoreRecord.FAILED, replaced, null, why(e));
        } finally {
            if (stage != null) {
                removeStaging(node.host(), stage);
            }
        }
    }

    /**
     * Loads every staged table in one command on the node, {@code restore.cassandra.parallel-loads} sstableloader
     * processes at a time: each is a JVM that starts in seconds, so one after another a node of Wire's 102 small tables
     * took longer to load than its data needed. Every loader's output flows back as it runs (its progress is the
     * command's), and is kept per table in the staging for the failure's message. A table that fails does not stop the
     * others; the command fails after them, naming every table that did not load.
     */
    private void loadTables(RestoreTarget node, String stage, List<String> tables) throws RemoteCommandException {
        String loader = words(settings.sstableloader()) + " -d " + quote(CqlSessions.address(cassandra, node.host()))
                + " -p " + cassandra.cqlPort() + credentials();
        String oneTable = "t=$1; shift; n=$(printf %s \"$t\" | tr / .);"
                + " { \"$@\" \"load/$t\" 2>&1; echo $? > \"logs/$n.rc\"; } | tee \"logs/$n.log\";"
                + " [ \"$(cat \"logs/$n.rc\")\" = 0 ] && printf '\\nloaded %s\\n' \"$t\"";
        String quoted = tables.stream().map(t -> quote(t)).collect(Collectors.joining(" "));
        String failures = "failed=0; for t in " + quoted + "; do n=$(printf %s \"$t\" | tr / .);"
                + " [ \"$(cat \"logs/$n.rc\" 2>/dev/null)\" = 0 ] && continue; failed=$((failed + 1));"
                + " printf '%s did not load:\\n' \"$t\" >&2; tail -n 12 \"logs/$n.log\" >&2; done;"
                + " [ $failed = 0 ] || { echo \"$failed of " + tables.size() + " tables did not load\" >&2; exit 1; }";
        ssh.execute(node.host(), "cd -- " + quote(stage) + " && mkdir logs && printf '%s\\0' "
                + quoted + " | xargs -0 -I {} -P " + settings.parallelLoads() + " sh -c " + quote(oneTable)
                + " sh {} " + loader + "; " + failures, InputStream.nullInputStream(),
                new LoadedTablesLog(node.host(), tables.size()));
        LOG.info("Restore: {} tables loaded with sstableloader on {}, {} at a time", tables.size(), node.host(),
                settings.parallelLoads());
    }

    /** Logs each "loaded KEYSPACE/TABLE" line of the loaders' output as it comes; the rest is their progress. */
    private static final class LoadedTablesLog extends OutputStream {
        private final SshTarget host;
        private final int tables;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private int loaded;

        LoadedTablesLog(SshTarget host, int tables) {
            this.host = host;
            this.tables = tables;
        }

        @Override
        public void write(int b) {
            if (b != '\n' && b != '\r') {
                if (line.size() < 4096) {
                    line.write(b);
                }
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.startsWith("loaded ")) {
                loaded++;
                LOG.info("Restore: {} loaded on {} ({} of {})", text.substring(7), host, loaded, tables);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }

    /** Moves each table's snapshot to load/{@code <keyspace>/<table>}, as sstableloader wants it; prints them. */
    private List<String> stageTables(SshTarget host, String stage) throws RemoteCommandException {
        String listing = ssh.runForText(host, "cd -- " + quote(stage + "/raw") + " && for d in */*/snapshots/*; do"
                + " [ -d \"$d\" ] || continue; ks=${d%%/*}; t=${d#*/}; t=${t%%/*}; t=${t%-*};"
                + " mkdir -p \"../load/$ks/$t\" && find \"$d\" -mindepth 1 -maxdepth 1 -type f -exec mv -- {} \"../load/$ks/$t/\" \\;"
                + " || exit 1; printf '%s/%s\\n' \"$ks\" \"$t\"; done", 1024 * 1024);
        List<String> tables = Arrays.stream(listing.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .distinct().toList();
        for (String table : tables) {
            if (!CASSANDRA_TABLE.matcher(table).matches()) {
                throw new RemoteCommandException(host, "the part holds '" + table + "', which is no Cassandra"
                        + " <keyspace>/<table> name (letters, digits and _)", null);
            }
        }
        return tables;
    }

    private void removeStaging(SshTarget host, String stage) {
        try {
            ssh.runForText(host, "rm -rf -- " + quote(stage), 1024);
        } catch (RemoteCommandException e) {
            LOG.warn("Restore: could not remove the staging directory {} on {}: {}", stage, host, e.getMessage());
        }
    }

    private String credentials() {
        if (cassandra.cqlUsername() == null || cassandra.cqlUsername().isEmpty()) {
            return "";
        }
        return " -u " + quote(cassandra.cqlUsername()) + " -pw "
                + quote(cassandra.cqlPassword() == null ? "" : cassandra.cqlPassword());
    }

    private static Map<String, Long> rowCounts(CqlSession session, Collection<String> keyspaces) {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String name : keyspaces) {
            KeyspaceMetadata keyspace = session.getMetadata().getKeyspace(name).orElse(null);
            if (keyspace == null) {
                continue;
            }
            for (TableMetadata table : keyspace.getTables().values()) {
                String qualified = keyspace.getName().asCql(true) + "." + table.getName().asCql(true);
                rows.put(keyspace.getName().asInternal() + "." + table.getName().asInternal(), session.execute(
                        SimpleStatement.newInstance("SELECT count(*) FROM " + qualified).setTimeout(LONG_STATEMENT))
                        .one().getLong(0));
            }
        }
        return rows;
    }

    private Collection<String> keyspaces(FullBackupFile fullBackup, List<RestoreTarget> targets) throws IOException {
        RestoreTarget schema = targets.stream().filter(t -> t.part().kind().equals("cassandra-schema")).findFirst()
                .orElse(null);
        if (schema != null) {
            return CassandraSchemaFile.parse(schemaText(fullBackup, schema)).keyspaces();
        }
        return cassandra.keyspaces();
    }

    private List<String> userKeyspaces(CqlSession session) {
        return session.getMetadata().getKeyspaces().keySet().stream().map(k -> k.asInternal())
                .filter(k -> !CassandraSettings.SYSTEM_KEYSPACES.contains(k)).sorted().toList();
    }

    private static String schemaText(FullBackupFile fullBackup, RestoreTarget schema) throws IOException {
        try (InputStream in = FullBackupPart.open(fullBackup, schema.part().name())) {
            byte[] text = in.readNBytes(SCHEMA_LIMIT + 1);
            if (text.length > SCHEMA_LIMIT) {
                throw new IOException(schema.part().name() + " is larger than " + SCHEMA_LIMIT + " bytes");
            }
            return new String(text, StandardCharsets.UTF_8);
        }
    }

    private static SshTarget cqlHost(List<RestoreTarget> targets) {
        return targets.stream().filter(t -> t.part().kind().equals("cassandra-schema")).map(RestoreTarget::host)
                .findFirst().orElseGet(() -> targets.get(0).host());
    }

    private <T> T withSession(SshTarget host, SessionWork<T> work) throws RemoteCommandException {
        return ssh.throughTunnel(host, CqlSessions.address(cassandra, host), cassandra.cqlPort(), local -> {
            try (CqlSession session = CqlSessions.open(local, cassandra)) {
                return work.apply(session);
            }
        });
    }

    @FunctionalInterface
    private interface SessionWork<T> {
        T apply(CqlSession session) throws IOException;
    }

    /** What failed, with what the host said when it was a remote command (sstableloader's last lines). */
    private static String why(Exception e) {
        return e instanceof RemoteCommandException remote ? remote.messageWithStderr() : e.getMessage();
    }

    private static String words(List<String> command) {
        return command.stream().map(w -> quote(w)).collect(Collectors.joining(" "));
    }

    private static RestoreRecord.PartOutcome outcome(RestoreTarget target, Instant started, String status,
                                                     String movedAside, String detail, String error) {
        Instant finished = Instant.now();
        return new RestoreRecord.PartOutcome(target.part().name(), target.part().kind(), String.valueOf(target.host()),
                target.path(), status, target.part().size(), started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis(), movedAside, detail, error);
    }
}
