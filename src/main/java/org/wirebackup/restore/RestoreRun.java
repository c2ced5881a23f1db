package org.wirebackup.restore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.archive.PartCheck;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.run.RunIds;
import org.wirebackup.source.SecretRedaction;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;

/**
 * One restore of a verified full backup, in the plan's order: the directory parts (the wire-server folder, every
 * MinIO data directory), the Cassandra parts (schema, then every node's tables), then each kind's restart command,
 * with one record of it all. Everything that would refuse the restore is checked before the first change.
 */
public final class RestoreRun {

    public static final List<String> KINDS = List.of("wire-server", "minio", "cassandra");
    private static final Logger LOG = LoggerFactory.getLogger(RestoreRun.class);

    private final RemoteCommandRunner ssh;
    private final Path backupDir;
    private final RestoreSettings settings;

    public RestoreRun(RemoteCommandRunner ssh, Path backupDir, RestoreSettings settings) {
        this.ssh = ssh;
        this.backupDir = backupDir;
        this.settings = settings;
    }

    /** The kinds {@code --only} names (all when it names none); an unknown one is a usage error. */
    public static Set<String> kinds(List<String> only) {
        if (only == null || only.isEmpty()) {
            return new LinkedHashSet<>(KINDS);
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (String kind : only) {
            String trimmed = kind.strip();
            if (!KINDS.contains(trimmed)) {
                throw new ConfigurationException("--only", "'" + trimmed + "' is not one of: wire-server, minio, cassandra");
            }
            kinds.add(trimmed);
        }
        return kinds;
    }

    /** The kind a part is restored as: the schema belongs to Cassandra. */
    static String kindOf(RestoreTarget target) {
        return target.part().kind().equals("cassandra-schema") ? "cassandra" : target.part().kind();
    }

    private static boolean selected(RestoreTarget target, Set<String> kinds) {
        return kinds.contains(kindOf(target)) && (target.isDirectory() || CassandraRestore.isCassandra(target));
    }

    /** Refuses, before anything changes, what this restore must not do. */
    public void refuseUnsafe(RestorePlan plan, Set<String> kinds, boolean replace) {
        List<String> occupied = new ArrayList<>();
        boolean cassandra = false;
        for (RestorePlan.Line line : plan.lines()) {
            RestoreTarget target = line.target();
            if (!selected(target, kinds)) {
                continue;
            }
            cassandra |= CassandraRestore.isCassandra(target);
            if (target.isDirectory() && !line.now().state().isSafeAsItIs() && !replace) {
                occupied.add(target.host() + ":" + target.path() + " (" + line.now().describe() + ")");
            }
        }
        if (!occupied.isEmpty()) {
            throw new ConfigurationException("--replace", String.join(", ", occupied) + (occupied.size() == 1
                    ? " is" : " are") + " neither missing nor empty: pass --replace to move each aside to"
                    + " DIR.before-restore-" + plan.manifest().runId() + " (never deleted); nothing was changed");
        }
        if (cassandra) {
            KeyspaceState keyspaces = plan.keyspaces();
            if (keyspaces.error() != null) {
                throw new ConfigurationException("--only", "the Cassandra cluster cannot be read over CQL ("
                        + keyspaces.error() + "), so whether its keyspaces hold data is unknown: bring it up, check"
                        + " backup.cassandra.cql-port / cql-address, or restore the rest with --only wire-server,minio;"
                        + " nothing was changed");
            }
            if (!keyspaces.holdingData().isEmpty() && !replace) {
                throw new ConfigurationException("--replace", "keyspace " + keyspaces.holdingData().stream()
                        .map(k -> k + " (" + String.join(", ", keyspaces.tablesWithData().get(k)) + ")")
                        .collect(Collectors.joining(", ")) + " holds data: pass --replace to snapshot it on the nodes"
                        + " as before-restore-" + plan.manifest().runId() + " and truncate its tables before loading;"
                        + " nothing was changed");
            }
            String notEveryNode = plan.cluster() == null ? null : plan.cluster().whyNotEveryNode();
            if (replace && !keyspaces.holdingData().isEmpty() && notEveryNode != null) {
                throw new ConfigurationException("--replace", "--replace truncates " + String.join(", ",
                        keyspaces.holdingData()) + " on every node, so every node must be snapshotted first, but "
                        + notEveryNode + ": bring every node up and reachable over SSH, then run it again;"
                        + " nothing was changed");
            }
        }
    }

    /**
     * Restores every selected part; the record is written whatever happens to the parts.
     *
     * @param started when the restore command started: the RTO runs from there to the last part proven
     */
    public RestoreRecord run(RestorePlan plan, FullBackupVerifier.Report report, Set<String> kinds, boolean replace,
                             Instant started) throws IOException {
        String restoreId = RunIds.of(Instant.now());
        String runId = plan.manifest().runId();
        Map<String, PartCheck> checks = report.parts().stream()
                .collect(Collectors.toMap(PartCheck::name, Function.identity()));
        DirectoryRestore directories = new DirectoryRestore(ssh);
        List<RestoreRecord.PartOutcome> outcomes = new ArrayList<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        List<RestoreRecord.Restart> stops = stops(plan, kinds);
        boolean cassandraDone = false;
        String stopped = null;
        for (RestorePlan.Line line : plan.lines()) {
            RestoreTarget target = line.target();
            if (!selected(target, kinds)) {
                continue;
            }
            String notStopped = notStopped(stops, target);
            if (notStopped != null) {
                outcomes.add(DirectoryRestore.outcome(target, Instant.now(), RestoreRecord.FAILED, null,
                        "not started: " + notStopped));
                continue;
            }
            if (stopped != null) {
                outcomes.add(DirectoryRestore.outcome(target, Instant.now(), RestoreRecord.FAILED, null,
                        "not started: " + stopped));
                continue;
            }
            if (target.isDirectory()) {
                LOG.info("Restore {}: restoring {} to {}:{}", restoreId, target.part().name(), target.host(),
                        target.path());
                try {
                    outcomes.add(directories.restore(plan.fullBackup(), runId, line,
                            checks.get(target.part().name()).files()));
                } catch (DirectoryRestore.TargetChangedException e) {
                    LOG.error("Restore {}: {}", restoreId, e.getMessage());
                    outcomes.add(DirectoryRestore.outcome(target, Instant.now(), RestoreRecord.FAILED, null,
                            e.getMessage()));
                    stopped = "the restore stopped at " + target.part().name() + ", whose target changed";
                }
            } else if (!cassandraDone) {
                cassandraDone = true;
                List<RestorePlan.Line> cassandra = plan.lines().stream()
                        .filter(l -> CassandraRestore.isCassandra(l.target())).toList();
                LOG.info("Restore {}: restoring {} Cassandra parts", restoreId, cassandra.size());
                outcomes.addAll(new CassandraRestore(ssh, settings).restore(plan.fullBackup(), runId, cassandra,
                        plan.keyspaces(), replace, rows, CapturedFigures.RESTORE_MAX_SHORTFALL, "a restore's fixed"
                        + " limit"));
            }
        }
        List<RestoreRecord.Restart> restarts = restarts(plan, kinds, outcomes);
        Instant finished = Instant.now();
        long good = outcomes.stream().filter(RestoreRecord.PartOutcome::ok).count();
        boolean restartsOk = restarts.stream().allMatch(RestoreRecord.Restart::ok);
        String status = good == outcomes.size() && restartsOk ? RestoreRecord.OK
                : good == 0 ? RestoreRecord.FAILED : RestoreRecord.PARTIAL;
        RestoreRecord record = new RestoreRecord(restoreId, status, plan.fullBackup().toString(), runId,
                started.toString(), finished.toString(), Duration.between(started, finished).toMillis(), outcomes,
                stops.isEmpty() ? null : stops, restarts.isEmpty() ? null : restarts, rows.isEmpty() ? null : rows);
        record.write(backupDir);
        return record;
    }

    /**
     * Each selected kind's stop command, once on each of its target hosts, before anything of the kind changes: a
     * live MinIO must not serve or write a directory while it is moved aside and extracted.
     */
    private List<RestoreRecord.Restart> stops(RestorePlan plan, Set<String> kinds) {
        List<RestoreRecord.Restart> stops = new ArrayList<>();
        for (String kind : kinds) {
            String command = settings.stopCommand(kind).orElse(null);
            if (command == null) {
                continue;
            }
            stops.addAll(runOnEachHost(plan, kind, command, RestoreSettings.stopKey(kind)));
        }
        return stops;
    }

    /** Why a part must not be touched because its kind was not stopped on its host (any node, for Cassandra). */
    private static String notStopped(List<RestoreRecord.Restart> stops, RestoreTarget target) {
        String kind = kindOf(target);
        return stops.stream().filter(s -> !s.ok() && s.kind().equals(kind)
                        && (kind.equals("cassandra") || s.host().equals(String.valueOf(target.host()))))
                .findFirst().map(s -> RestoreSettings.stopKey(kind) + " failed on " + s.host() + " (" + s.error()
                        + "), so nothing of " + kind + " was changed there").orElse(null);
    }

    /** Each kind whose parts all came back: its restart command, once on each of its target hosts. */
    private List<RestoreRecord.Restart> restarts(RestorePlan plan, Set<String> kinds,
                                                 List<RestoreRecord.PartOutcome> outcomes) {
        List<RestoreRecord.Restart> restarts = new ArrayList<>();
        for (String kind : kinds) {
            String command = settings.restartCommand(kind).orElse(null);
            List<RestoreRecord.PartOutcome> ofKind = outcomes.stream()
                    .filter(o -> (o.kind().equals("cassandra-schema") ? "cassandra" : o.kind()).equals(kind)).toList();
            if (command == null || ofKind.isEmpty() || !ofKind.stream().allMatch(RestoreRecord.PartOutcome::ok)) {
                continue;
            }
            restarts.addAll(runOnEachHost(plan, kind, command, RestoreSettings.restartKey(kind)));
        }
        return restarts;
    }

    /** A kind's stop or restart command, once on each of its target hosts; a failure says what the host said. */
    private List<RestoreRecord.Restart> runOnEachHost(RestorePlan plan, String kind, String command, String key) {
        List<RestoreRecord.Restart> runs = new ArrayList<>();
        for (SshTarget host : hostsOf(plan, kind)) {
            try {
                ssh.runForText(host, command, 64 * 1024);
                LOG.info("Restore: {} ran on {}", key, host);
                runs.add(new RestoreRecord.Restart(kind, host.toString(), SecretRedaction.redact(command),
                        RestoreRecord.OK, null));
            } catch (RemoteCommandException e) {
                String error = SecretRedaction.redact(e.messageWithStderr());
                LOG.error("Restore: {} failed on {}: {}", key, host, error);
                runs.add(new RestoreRecord.Restart(kind, host.toString(), SecretRedaction.redact(command),
                        RestoreRecord.FAILED, error));
            }
        }
        return runs;
    }

    private static Set<SshTarget> hostsOf(RestorePlan plan, String kind) {
        return plan.lines().stream().map(RestorePlan.Line::target)
                .filter(t -> t.part().kind().equals(kind) && t.host() != null)
                .map(RestoreTarget::host).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public void printSummary(PrintWriter out, RestoreRecord record, RestorePlan plan, Set<String> kinds) {
        out.printf("%nwire-backup restore %s of run %s: %s in %.1fs%n", record.restoreId(), record.runId(),
                record.status().toUpperCase(Locale.ROOT), record.durationMillis() / 1000.0);
        for (RestoreRecord.Restart stop : record.stops() == null ? List.<RestoreRecord.Restart>of() : record.stops()) {
            out.printf("  %-7s stop of %s on %s%s%n", stop.ok() ? "ok" : "FAILED", stop.kind(), stop.host(),
                    stop.ok() ? "" : ": " + stop.error());
        }
        Set<String> toResume = new LinkedHashSet<>();
        for (RestoreRecord.PartOutcome part : record.parts()) {
            out.printf("  %-7s %s  %s%s%n", part.ok() ? "ok" : "FAILED", part.name(), part.host(),
                    part.path() == null ? "" : ":" + part.path());
            if (part.movedAside() != null) {
                out.printf("          what was there is kept: %s%n", part.movedAside());
            }
            if (part.detail() != null) {
                out.printf("          %s%n", part.detail());
            }
            if (!part.ok()) {
                out.printf("          %s%n", part.error());
                toResume.add(part.kind().equals("cassandra-schema") ? "cassandra" : part.kind());
            }
        }
        for (RestorePlan.Line line : plan.lines()) {
            RestoreTarget target = line.target();
            if (!selected(target, kinds)) {
                out.printf("  skipped %s  (%s)%n", target.part().name(), target.isDirectory()
                        || CassandraRestore.isCassandra(target) ? "not in --only" : target.method());
            }
        }
        if (record.cassandraRows() != null) {
            out.printf("  rows now in the restored tables:%n");
            record.cassandraRows().forEach((table, count) -> out.printf("          %-40s %d%n", table, count));
        }
        List<RestoreRecord.Restart> restarts = record.restarts() == null ? List.of() : record.restarts();
        for (RestoreRecord.Restart restart : restarts) {
            out.printf("  %-7s restart of %s on %s%s%n", restart.ok() ? "ok" : "FAILED", restart.kind(), restart.host(),
                    restart.ok() ? "" : ": " + restart.error());
        }
        if (!toResume.isEmpty()) {
            out.printf("resume: wire-backup restore %s --only %s --replace --yes%n", record.runId(),
                    String.join(",", toResume));
        }
        Set<String> restarted = restarts.stream().map(RestoreRecord.Restart::kind).collect(Collectors.toSet());
        for (String kind : kinds) {
            boolean restored = record.parts().stream().anyMatch(p -> p.ok() && (p.kind().equals(kind)
                    || kind.equals("cassandra") && p.kind().equals("cassandra-schema")));
            if (restored && !restarted.contains(kind) && !kind.equals("cassandra")) {
                out.printf("restart what uses the restored %s on %s before use (or set %s)%n", kind,
                        hostsOf(plan, kind).stream().map(String::valueOf).collect(Collectors.joining(", ")),
                        RestoreSettings.restartKey(kind));
            }
        }
        Set<String> restartedOn = restarts.stream().filter(RestoreRecord.Restart::ok)
                .map(r -> r.kind() + " " + r.host()).collect(Collectors.toSet());
        for (RestoreRecord.Restart stop : record.stops() == null ? List.<RestoreRecord.Restart>of() : record.stops()) {
            if (stop.ok() && !restartedOn.contains(stop.kind() + " " + stop.host())) {
                out.printf("%s is still stopped on %s: start it again once its restore is complete%n", stop.kind(),
                        stop.host());
            }
        }
        out.printf("restore record: %s%n", backupDir.resolve("restores").resolve(record.restoreId())
                .resolve("restore.json"));
        out.flush();
    }
}
