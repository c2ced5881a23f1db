package org.wirebackup.restore.drill;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.FullBackupFile;
import org.wirebackup.archive.Manifest;
import org.wirebackup.archive.TarEntryListing;
import org.wirebackup.io.Progress;
import org.wirebackup.io.ProgressInputStream;
import org.wirebackup.restore.FullBackupPart;
import org.wirebackup.restore.RestoreSettings;
import org.wirebackup.source.cassandra.CassandraSettings;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;

/**
 * One drill of a verified full backup: every part restored on the scratch host into {@code <dir>/<drill id>/<part>/}
 * (a tar part extracted with {@code tar -xpf}, as a restore does; any other part stored as a file), then proven: every
 * path's type, mode, size, link target and SHA-256 on the scratch host equal to the part's, whose listing is read from
 * the full backup while the part streams. The drill's directory is removed after, unless kept.
 */
public final class DrillRun {

    /** Between restoring a part and proving it; tests use it to change what was restored. */
    @FunctionalInterface
    public interface BeforeProof {
        void run(SshTarget host, String dir) throws Exception;
    }

    static final int DIFFERENCES_SHOWN = 10;
    private static final Logger LOG = LoggerFactory.getLogger(DrillRun.class);
    private static volatile BeforeProof beforeProof = (host, dir) -> { };

    private final RemoteCommandRunner ssh;
    private final DrillSettings settings;
    private final RestoreSettings restore;
    private final String defaultUser;

    /** @param restore how a restore loads Cassandra (sstableloader, CQL): the drill loads its scratch cluster so */
    public DrillRun(RemoteCommandRunner ssh, DrillSettings settings, RestoreSettings restore, String defaultUser) {
        this.ssh = ssh;
        this.settings = settings;
        this.restore = restore;
        this.defaultUser = defaultUser;
    }

    /** For tests only: what runs between a part's restore and its proof. */
    public static void beforeProofForTests(BeforeProof hook) {
        beforeProof = hook == null ? (host, dir) -> { } : hook;
    }

    /** @param previousRows the rows per table the last good drill found, to compare with; empty for none */
    public DrillRecord run(String drillId, Instant started, String from, FullBackupFile fullBackup, Manifest manifest,
                           boolean keep, Map<String, Long> previousRows) {
        String root = settings.dir() + "/" + drillId;
        List<DrillRecord.Part> parts = new ArrayList<>();
        String error = null;
        boolean made = false;
        Map<String, Long> rows = null;
        ExecutorService listing = Executors.newSingleThreadExecutor(r -> new Thread(r, "drill-listing"));
        try {
            // the drill's own directory, new: the only one it ever removes
            ssh.runForText(settings.host(), "mkdir -p -- " + quote(settings.dir()) + " && mkdir -- " + quote(root), 4096);
            made = true;
            for (Manifest.Part part : manifest.parts()) {
                parts.add(prove(fullBackup, part, root, listing));
            }
            if (!settings.cassandraHosts().isEmpty() && manifest.parts().stream()
                    .anyMatch(p -> p.kind().equals("cassandra"))) {
                rows = new java.util.LinkedHashMap<>();
                parts.add(new ScratchCassandra(ssh, scratchRestore(root), defaultUser, keep)
                        .prove(fullBackup, manifest, previousRows, settings.maxRowDrop(), rows));
            }
        } catch (RemoteCommandException e) {
            error = "the scratch directory " + settings.host() + ":" + root + " could not be made: " + e.getMessage();
        } finally {
            listing.shutdownNow();
            if (made && !keep) {
                try {
                    ssh.runForText(settings.host(), "rm -rf -- " + quote(root), 4096);
                } catch (RemoteCommandException e) {
                    error = "the scratch directory " + settings.host() + ":" + root + " could not be removed: "
                            + e.getMessage();
                }
            }
        }
        Instant finished = Instant.now();
        boolean ok = error == null && parts.stream().allMatch(DrillRecord.Part::ok);
        Long rpo = manifest.startedAt() == null ? null
                : Duration.between(Instant.parse(manifest.startedAt()), started).toSeconds();
        return new DrillRecord(drillId, ok ? DrillRecord.OK : DrillRecord.FAILED, from,
                fullBackup.toString(), manifest.runId(), rpo, started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis(), settings.host() + ":" + root, made && keep, parts, error,
                rows, rows == null || previousRows.isEmpty() ? null : previousRows);
    }

    /** The restore's Cassandra settings, pointed at the scratch cluster, staging in the drill's own directory. */
    private RestoreSettings scratchRestore(String root) {
        CassandraSettings c = restore.cassandra();
        // never production's cql-address: the scratch node's own, or its SSH host's name
        CassandraSettings scratch = new CassandraSettings(c.keyspaces(), c.dataDir(), c.nodetool(), c.configFile(),
                c.allowDegraded(), c.compression(), c.captureSchema(), settings.cassandraCqlAddress(),
                settings.cassandraCqlPort() == null ? c.cqlPort() : settings.cassandraCqlPort(), c.cqlUsername(),
                c.cqlPassword(), c.changedFiles());
        return new RestoreSettings(null, null, null, Map.of(), Map.of(), settings.cassandraHosts(),
                settings.cassandraSstableloader().isEmpty() ? restore.sstableloader() : settings.cassandraSstableloader(),
                root, restore.parallelLoads(), Map.of(), Map.of(), scratch);
    }

    private DrillRecord.Part prove(FullBackupFile fullBackup, Manifest.Part part, String root, ExecutorService listing) {
        Instant started = Instant.now();
        String target = root + "/" + part.name();
        boolean tar = "tar".equals(part.format());
        try {
            Future<Map<String, TarEntryListing.Entry>> expected = tar ? listing.submit(() -> {
                try (InputStream in = FullBackupPart.open(fullBackup, part.name())) {
                    return TarEntryListing.read(in, part.compression());
                }
            }) : null;
            Progress progress = new Progress("drill: restoring " + part.name() + " to " + settings.host() + ":"
                    + target, part.size(), Duration.ofSeconds(30), LOG::info);
            try (InputStream in = new ProgressInputStream(FullBackupPart.open(fullBackup, part.name()), progress)) {
                ssh.execute(settings.host(), tar ? "mkdir -- " + quote(target) + " && cd -- " + quote(target)
                        + " && tar " + FullBackupPart.tarDecompression(part.compression()) + " -xpf -"
                        : "cat > " + quote(target), in, OutputStream.nullOutputStream());
            }
            beforeProof.run(settings.host(), target);
            List<String> differences;
            Long paths;
            if (tar) {
                Map<String, TarEntryListing.Entry> want = expected.get();
                differences = PartComparison.differences(want, ScratchListing.read(ssh, settings.host(), target));
                paths = (long) want.size();
            } else {
                String sha = ssh.runForText(settings.host(), "sha256sum -- " + quote(target), 4096).strip().split(" ")[0];
                differences = sha.equals(part.sha256()) ? List.of()
                        : List.of(part.name() + ": sha256 " + sha + ", the backup has " + part.sha256());
                paths = null;
            }
            long took = Duration.between(started, Instant.now()).toMillis();
            if (!differences.isEmpty()) {
                LOG.warn("Drill: {} restored differently from the backup: {}", part.name(), differences.get(0));
                return new DrillRecord.Part(part.name(), part.kind(), DrillRecord.FAILED, part.size(), paths, took,
                        differences.subList(0, Math.min(DIFFERENCES_SHOWN, differences.size())),
                        differences.size() + " paths restored differently from the backup");
            }
            LOG.info("Drill: {} restored on {} and proven ({} paths equal to the backup's)", part.name(),
                    settings.host(), paths == null ? 1 : paths);
            return new DrillRecord.Part(part.name(), part.kind(), DrillRecord.OK, part.size(), paths, took, null, null);
        } catch (ExecutionException e) {
            return failed(part, started, "reading the part's listing failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(part, started, "interrupted");
        } catch (Exception e) {
            return failed(part, started, e.getMessage());
        }
    }

    private static DrillRecord.Part failed(Manifest.Part part, Instant started, String why) {
        return new DrillRecord.Part(part.name(), part.kind(), DrillRecord.FAILED, part.size(), null,
                Duration.between(started, Instant.now()).toMillis(), null, why);
    }
}
