package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.destination.ScpDestination;
import org.wirebackup.run.FullBackup;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;
import org.wirebackup.ssh.StreamedFile;

/**
 * Fetches a full backup back from a destination into BACKUP_DIR, so that a fresh backup host with only the
 * settings, the keys and {@code routes/} can restore: streamed to a {@code .partial} with its SHA-256 computed on the
 * way, compared with the copy's {@code .sha256}, then put in place: from SSH backup hosts ({@code backup-scp-sink}) and
 * S3 buckets ({@code backup-s3-sink}).
 */
public final class CopyFetch {

    private static final Logger LOG = LoggerFactory.getLogger(CopyFetch.class);

    private final RemoteCommandRunner ssh;
    private final S3Destination s3;
    private final String defaultUser;
    private final Function<String, Path> fileOf;
    private final String installation;
    private final RunRecordStore store;

    /** @param installation {@code backup.installation-id}: only copies this installation made are fetched */
    public CopyFetch(RemoteCommandRunner ssh, S3Destination s3, String defaultUser, RunRecordStore store,
                     String installation) {
        this(ssh, s3, defaultUser, store, installation, store.backupDir()::resolve);
    }

    private CopyFetch(RemoteCommandRunner ssh, S3Destination s3, String defaultUser, RunRecordStore store,
                      String installation, Function<String, Path> fileOf) {
        this.ssh = ssh;
        this.s3 = s3;
        this.defaultUser = defaultUser;
        this.store = store;
        this.installation = installation;
        this.fileOf = fileOf;
    }

    /** The same fetch into another directory (a drill's own, never beside the backups). */
    public CopyFetch into(Path directory) {
        return new CopyFetch(ssh, s3, defaultUser, store, installation, directory::resolve);
    }

    /**
     * Refuses a fetched full backup whose manifest names another installation: the copy was marked as this
     * installation's at the destination, the manifest inside is what the backup itself says.
     */
    public void requireOwnManifest(Path file, org.wirebackup.archive.Manifest manifest) {
        if (manifest != null && manifest.installation() != null && !manifest.installation().equals(installation)) {
            try {
                Files.deleteIfExists(ChecksumSidecar.of(file));
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot remove {}: {}", file, e.getMessage());
            }
            throw new ConfigurationException("--from", file.getFileName() + " is a backup of installation "
                    + manifest.installation() + " (its manifest says so), not of " + installation + ": removed it;"
                    + " nothing was changed");
        }
    }

    /** The SHA-256 a run record here keeps for that run's full backup, or null. */
    private String recordedSha256(String runId) {
        try {
            Path record = store.recordFile(runId);
            if (!Files.isRegularFile(record)) {
                return null;
            }
            RunRecord run = store.read(record);
            return run.fullBackup() == null ? null : run.fullBackup().sha256();
        } catch (IOException e) {
            return null;
        }
    }

    /** The local full backup of {@code source} (a run id, or latest) fetched from the destination. */
    public Path fetch(DestinationRoute destination, String source) throws IOException, RemoteCommandException {
        String runIdGiven = RestoreSource.LATEST.equals(source) ? null : source;
        if ("backup-s3-sink".equals(destination.kamelet())) {
            return s3.fetch(destination.required("bucket"), destination.parameters().getOrDefault("prefix", ""),
                    destination.parameters().getOrDefault("endpoint", ""),
                    destination.parameters().getOrDefault("region", "us-east-1"),
                    Boolean.parseBoolean(destination.parameters().getOrDefault("pathStyle", "false")), runIdGiven,
                    installation, this::recordedSha256, this::localTarget);
        }
        if (!"backup-scp-sink".equals(destination.kamelet())) {
            throw new ConfigurationException("--from", "destination '" + destination.name() + "' uses "
                    + destination.kamelet() + ": wire-backup fetches only from its own kamelets; fetch the copy by"
                    + " hand (README's runbook), then restore the file");
        }
        SshTarget host = SshTarget.parse(destination.required("host"), defaultUser, 22);
        String directory = destination.required("directory");
        String name = newest(host, directory, runIdGiven);
        Path target = localTarget(FullBackup.localNameOf(name));
        String remote = directory + "/" + name;
        String sidecar = ssh.runForText(host, "cat -- " + quote(remote + ChecksumSidecar.SUFFIX) + " 2>/dev/null;"
                + " true", 4096).strip().split("\\s+")[0];
        String expected = sidecar.isEmpty() ? recordedSha256(FullBackup.runIdOf(name)) : sidecar;
        // copies made before .sha256 files existed have none: the full verify that follows still checks every part
        String expectedFrom = !sidecar.isEmpty() ? "its .sha256" : expected != null
                ? "the run record (the copy has no .sha256)" : "nothing (no .sha256, no run record here)";
        LOG.info("Fetching {}:{} into {}", host, remote, target);
        StreamedFile fetched = ssh.streamToFile(host, "cat -- " + quote(remote), target);
        if (expected != null && !expected.equals(fetched.sha256())) {
            Files.deleteIfExists(target);
            throw new IOException("the copy fetched from " + host + ":" + remote + " has sha256 " + fetched.sha256()
                    + ", " + expectedFrom + " says " + expected + ": removed; try another destination");
        }
        ChecksumSidecar.write(target, fetched.sha256());
        LOG.info("Fetched {} ({} bytes), sha256 as {} says", target, fetched.bytes(), expectedFrom);
        return target;
    }

    /** Where a fetched copy goes: BACKUP_DIR/full-backup-<run id>.tar(.age), never over a file already there. */
    private Path localTarget(String name) {
        Path target = fileOf.apply(name);
        if (Files.exists(target)) {
            throw new ConfigurationException("--from", target + " is here already: restore it without --from");
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return target;
    }

    /**
     * The file name of this installation's newest full backup there, or of the given run's; plain or encrypted. A
     * copy is this installation's when its {@code .NAME.installation} marker says so.
     */
    private String newest(SshTarget host, String directory, String runId) throws RemoteCommandException {
        Map<String, String> owners = ScpDestination.copiesIn(ssh, host, directory);
        List<String> backups = owners.entrySet().stream().filter(e -> installation.equals(e.getValue()))
                .map(Map.Entry::getKey).filter(n -> runId == null || FullBackup.runIdOf(n).equals(runId))
                .sorted(Comparator.comparing(FullBackup::runIdOf)).toList();
        if (backups.isEmpty()) {
            Set<String> others = new TreeSet<>(owners.entrySet().stream()
                    .filter(e -> runId == null || FullBackup.runIdOf(e.getKey()).equals(runId))
                    .map(e -> e.getValue().isEmpty() ? "(none recorded)" : e.getValue()).toList());
            throw new ConfigurationException("--from", "no full backup of installation " + installation + " "
                    + (runId == null ? "" : "of run " + runId + " ") + "in " + host + ":" + directory
                    + (others.isEmpty() ? "" : "; the copies there belong to " + String.join(", ", others)
                    + ": if this host restores one of them, set backup.installation-id to its id in the settings"));
        }
        return backups.get(backups.size() - 1);
    }
}
