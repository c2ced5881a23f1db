package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.config.ConfigurationException;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.run.FullBackup;
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

    public CopyFetch(RemoteCommandRunner ssh, S3Destination s3, String defaultUser, RunRecordStore store) {
        this(ssh, s3, defaultUser, store.backupDir()::resolve);
    }

    private CopyFetch(RemoteCommandRunner ssh, S3Destination s3, String defaultUser, Function<String, Path> fileOf) {
        this.ssh = ssh;
        this.s3 = s3;
        this.defaultUser = defaultUser;
        this.fileOf = fileOf;
    }

    /** The same fetch into another directory (a drill's own, never beside the backups). */
    public CopyFetch into(Path directory) {
        return new CopyFetch(ssh, s3, defaultUser, directory::resolve);
    }

    /** The local full backup of {@code source} (a run id, or latest) fetched from the destination. */
    public Path fetch(DestinationRoute destination, String source) throws IOException, RemoteCommandException {
        String runIdGiven = RestoreSource.LATEST.equals(source) ? null : source;
        if ("backup-s3-sink".equals(destination.kamelet())) {
            return s3.fetch(destination.required("bucket"), destination.parameters().getOrDefault("prefix", ""),
                    destination.parameters().getOrDefault("endpoint", ""),
                    destination.parameters().getOrDefault("region", "us-east-1"),
                    Boolean.parseBoolean(destination.parameters().getOrDefault("pathStyle", "false")), runIdGiven,
                    this::localTarget);
        }
        if (!"backup-scp-sink".equals(destination.kamelet())) {
            throw new ConfigurationException("--from", "destination '" + destination.name() + "' uses "
                    + destination.kamelet() + ": wire-backup fetches only from its own kamelets; fetch the copy by"
                    + " hand (README's runbook), then restore the file");
        }
        SshTarget host = SshTarget.parse(destination.required("host"), defaultUser, 22);
        String directory = destination.required("directory");
        String name = newest(host, directory, runIdGiven);
        Path target = localTarget(name);
        String remote = directory + "/" + name;
        // copies made before .sha256 files existed have none: the full verify that follows still checks every part
        String[] sidecar = ssh.runForText(host, "cat -- " + quote(remote + ChecksumSidecar.SUFFIX) + " 2>/dev/null;"
                + " true", 4096).strip().split("\\s+");
        LOG.info("Fetching {}:{} into {}", host, remote, target);
        StreamedFile fetched = ssh.streamToFile(host, "cat -- " + quote(remote), target);
        if (!sidecar[0].isEmpty() && !sidecar[0].equals(fetched.sha256())) {
            Files.deleteIfExists(target);
            throw new IOException("the copy fetched from " + host + ":" + remote + " has sha256 " + fetched.sha256()
                    + ", its .sha256 says " + String.join(" ", sidecar) + ": removed; try another destination");
        }
        ChecksumSidecar.write(target, fetched.sha256());
        LOG.info("Fetched {} ({} bytes), sha256 as its .sha256 says", target, fetched.bytes());
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

    /** The file name of the newest full backup there, or of the given run's; plain or encrypted. */
    private String newest(SshTarget host, String directory, String runId) throws RemoteCommandException {
        String listing = ssh.runForText(host, "cd -- " + quote(directory) + " && ls -1", 1024 * 1024);
        List<String> backups = Arrays.stream(listing.split("\n")).map(String::strip)
                .filter(FullBackup::isFileName).filter(n -> runId == null || FullBackup.runIdOf(n).equals(runId))
                .sorted().toList();
        if (backups.isEmpty()) {
            throw new ConfigurationException("--from", "no full backup " + (runId == null ? "" : "of run " + runId
                    + " ") + "in " + host + ":" + directory);
        }
        return backups.get(backups.size() - 1);
    }
}
