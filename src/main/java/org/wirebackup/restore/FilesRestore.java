package org.wirebackup.restore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * The restore of a verified full backup's directory parts (the wire-server folder, every MinIO data directory), in
 * the plan's order, with one record of it all. Everything that would refuse the restore is checked before the
 * first change: the kinds asked for, the Cassandra parts (restored by hand until that is built), and target
 * directories that are not empty without {@code --replace}.
 */
public final class FilesRestore {

    public static final Set<String> KINDS = Set.of("wire-server", "minio", "cassandra");
    private static final Logger LOG = LoggerFactory.getLogger(FilesRestore.class);

    private final RemoteCommandRunner ssh;
    private final Path backupDir;

    public FilesRestore(RemoteCommandRunner ssh, Path backupDir) {
        this.ssh = ssh;
        this.backupDir = backupDir;
    }

    /** The kinds {@code --only} names (all when it names none); an unknown one is a usage error. */
    public static Set<String> kinds(List<String> only) {
        if (only == null || only.isEmpty()) {
            return KINDS;
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

    private static boolean selected(RestoreTarget target, Set<String> kinds) {
        String kind = target.part().kind().equals("cassandra-schema") ? "cassandra" : target.part().kind();
        return kinds.contains(kind);
    }

    /** Refuses, before anything changes, what this restore cannot or must not do. */
    public void refuseUnsafe(RestorePlan plan, Set<String> kinds, boolean replace) {
        List<String> notEmpty = new ArrayList<>();
        for (RestorePlan.Line line : plan.lines()) {
            RestoreTarget target = line.target();
            if (!selected(target, kinds)) {
                continue;
            }
            if (!target.isDirectory()) {
                throw new ConfigurationException("--only", target.part().name() + " is a Cassandra part, whose restore"
                        + " is not built yet: restore Cassandra by hand (README's runbook) and pass --only"
                        + " wire-server,minio for the rest; nothing was changed");
            }
            if ("not empty".equals(line.now().state()) && !replace) {
                notEmpty.add(target.host() + ":" + target.path());
            }
        }
        if (!notEmpty.isEmpty()) {
            throw new ConfigurationException("--replace", String.join(", ", notEmpty) + (notEmpty.size() == 1
                    ? " is" : " are") + " not empty: pass --replace to move each aside to DIR.before-restore-"
                    + plan.manifest().runId() + " (never deleted); nothing was changed");
        }
    }

    /** Restores every selected part; the record is written whatever happens to the parts. */
    public RestoreRecord run(RestorePlan plan, FullBackupVerifier.Report report, Set<String> kinds) throws IOException {
        Instant started = Instant.now();
        String restoreId = RunIds.of(started);
        Map<String, PartCheck> checks = report.parts().stream()
                .collect(Collectors.toMap(PartCheck::name, Function.identity()));
        DirectoryRestore directories = new DirectoryRestore(ssh);
        List<RestoreRecord.PartOutcome> outcomes = new ArrayList<>();
        for (RestorePlan.Line line : plan.lines()) {
            if (selected(line.target(), kinds) && line.target().isDirectory()) {
                LOG.info("Restore {}: restoring {} to {}:{}", restoreId, line.target().part().name(),
                        line.target().host(), line.target().path());
                outcomes.add(directories.restore(plan.fullBackup(), plan.manifest().runId(), line,
                        checks.get(line.target().part().name()).files()));
            }
        }
        Instant finished = Instant.now();
        long good = outcomes.stream().filter(RestoreRecord.PartOutcome::ok).count();
        String status = good == outcomes.size() ? RestoreRecord.OK : good == 0 ? RestoreRecord.FAILED
                : RestoreRecord.PARTIAL;
        RestoreRecord record = new RestoreRecord(restoreId, status, plan.fullBackup().toString(),
                plan.manifest().runId(), started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis(), outcomes);
        record.write(backupDir);
        return record;
    }

    public void printSummary(PrintWriter out, RestoreRecord record, RestorePlan plan, Set<String> kinds) {
        out.printf("%nwire-backup restore %s of run %s: %s in %.1fs%n", record.restoreId(), record.runId(),
                record.status().toUpperCase(java.util.Locale.ROOT), record.durationMillis() / 1000.0);
        Set<String> toResume = new LinkedHashSet<>();
        for (RestoreRecord.PartOutcome part : record.parts()) {
            out.printf("  %-7s %s  %s:%s%n", part.ok() ? "ok" : "FAILED", part.name(), part.host(), part.path());
            if (part.movedAside() != null) {
                out.printf("          what was there is kept at %s%n", part.movedAside());
            }
            if (!part.ok()) {
                out.printf("          %s%n", part.error());
                toResume.add(part.kind());
            }
        }
        for (RestorePlan.Line line : plan.lines()) {
            RestoreTarget target = line.target();
            if (!(target.isDirectory() && selected(target, kinds))) {
                out.printf("  skipped %s  (%s)%n", target.part().name(), target.isDirectory() ? "not in --only"
                        : target.method());
            }
        }
        if (!toResume.isEmpty()) {
            out.printf("resume: wire-backup restore %s --only %s --replace --yes%n", record.runId(),
                    String.join(",", toResume));
        }
        out.println("restart what uses the restored data (MinIO, the wire-server services) before use");
        out.printf("restore record: %s%n", backupDir.resolve("restores").resolve(record.restoreId())
                .resolve("restore.json"));
        out.flush();
    }
}
