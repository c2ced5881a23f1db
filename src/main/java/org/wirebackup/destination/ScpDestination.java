package org.wirebackup.destination;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.io.Progress;
import org.wirebackup.run.FullBackup;
import org.wirebackup.io.ProgressInputStream;
import org.wirebackup.source.RemotePaths;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.RemoteSha256;
import org.wirebackup.ssh.ShellQuoting;
import org.wirebackup.ssh.SshTarget;

/**
 * Copies a full backup to a directory on an SSH host (the {@code backup-scp-sink} kamelet): streamed over the same
 * SSH layer as the captures (strict host keys) into {@code .NAME.partial} (NAME being
 * {@code full-backup-<run id>-<installation>.tar}), checked there ({@code wc -c}, and
 * OpenSSL's SHA-256 or {@code sha256sum}) against the full backup, then linked to its name, which never replaces an existing file. Then
 * the newest {@code keep} full backups there stay and older ones go.
 */
public final class ScpDestination {

    public static final String HOST = "WireBackupScpHost";
    public static final String DIRECTORY = "WireBackupScpDirectory";
    public static final String KEEP = "WireBackupScpKeep";
    private static final Logger LOG = LoggerFactory.getLogger(ScpDestination.class);

    private final RemoteCommandRunner ssh;
    private final String defaultUser;

    public ScpDestination(RemoteCommandRunner ssh, String defaultUser) {
        this.ssh = ssh;
        this.defaultUser = defaultUser;
    }

    public void copy(Exchange exchange) throws DestinationException {
        String destination = exchange.getIn().getHeader(FullBackupHeaders.DESTINATION, "backup-scp-sink", String.class);
        SshTarget host;
        String directory;
        try {
            host = SshTarget.parse(header(exchange, HOST), defaultUser, 22);
            directory = RemotePaths.absolute(header(exchange, DIRECTORY));
        } catch (IllegalArgumentException e) {
            throw new DestinationException(destination + ": bad parameter: " + e.getMessage());
        }
        int keep = exchange.getIn().getHeader(KEEP, 0, Integer.class);
        Path file = Path.of(header(exchange, FullBackupHeaders.FILE));
        String installation = header(exchange, FullBackupHeaders.INSTALLATION);
        // the installation in the name keeps the copies of installations sharing this directory apart
        String name = FullBackup.copyName(header(exchange, FullBackupHeaders.RUN_ID), installation,
                FullBackup.isEncrypted(file));
        String sha256 = header(exchange, FullBackupHeaders.SHA256);
        long bytes = exchange.getIn().getHeader(FullBackupHeaders.BYTES, Long.class);
        String target = directory + "/" + name;
        String partial = directory + "/." + name + ".partial";
        List<String> warnings = new java.util.ArrayList<>();
        try {
            boolean there = alreadyThere(host, directory, target, bytes, sha256);
            warnings.addAll(removePartialsLeftBehind(destination, host, directory, installation));
            if (there) {
                LOG.info("{}: {}:{} is already there with the same size and sha256 (an earlier try's copy): kept",
                        destination, host, target);
            } else {
                upload(destination, host, file, name, bytes, sha256, partial);
            }
            FullBackupHeaders.fence(exchange, "linking " + name + " into place on " + host);
            linkAndWriteSidecars(host, directory, name, sha256, installation, there ? null : partial);
            if (!there) {
                LOG.info("{}: copied {} to {}:{} and verified it there (sha256 {})", destination, name, host, target,
                        sha256);
            }
            exchange.getIn().setHeader(FullBackupHeaders.LOCATION, host + ":" + target);
            exchange.getIn().setHeader(FullBackupHeaders.VERIFIED_BY, "size and sha256 read back on the host");
            exchange.getIn().setHeader(FullBackupHeaders.CHECKSUM_COPIED, true);
            if (keep > 0) {
                try {
                    FullBackupHeaders.fence(exchange, "pruning " + host + ":" + directory);
                    prune(destination, host, directory, keep, installation);
                } catch (RemoteCommandException e) {
                    warnings.add("the copy is good, but pruning old backups in " + host + ":" + directory
                            + " failed: " + e.messageWithStderr());
                } catch (org.wirebackup.run.Fence.LockLostException e) {
                    warnings.add("the copy is good; " + e.getMessage());
                }
            }
            if (!warnings.isEmpty()) {
                exchange.getIn().setHeader(FullBackupHeaders.WARNINGS, warnings);
            }
        } catch (org.wirebackup.run.Fence.LockLostException e) {
            removeQuietly(host, partial);
            throw new DestinationException(destination + ": " + e.getMessage(), e);
        } catch (RemoteCommandException | IOException e) {
            removeQuietly(host, partial);
            throw new DestinationException(destination + ": copy to " + host + ":" + directory + " failed: "
                    + (e instanceof RemoteCommandException remote ? remote.messageWithStderr() : e.getMessage()), e);
        }
    }

    /**
     * Creates the directory (0700, as everything else there: {@code umask 077}) and tells whether the final file is
     * there already: a good copy from an earlier try is accepted, anything else under that name is never replaced.
     */
    private boolean alreadyThere(SshTarget host, String directory, String target, long bytes, String sha256)
            throws RemoteCommandException, DestinationException {
        String existing = ssh.runForText(host, "umask 077 && mkdir -p -- " + quote(directory) + " && if [ -e "
                + quote(target) + " ]; then wc -c < " + quote(target) + " && " + RemoteSha256.of(quote(target))
                + "; fi", 4096).strip();
        if (existing.isEmpty()) {
            return false;
        }
        String[] found = existing.split("\\s+");
        if (found.length >= 2 && found[0].equals(String.valueOf(bytes)) && found[1].equals(sha256)) {
            return true;
        }
        throw new DestinationException(host + ":" + target + " exists already with other content ("
                + String.join(" ", found) + "); refusing to overwrite it");
    }

    /**
     * Removes the partial copies this installation's earlier runs left there (a run killed during its copy leaves
     * {@code .NAME.partial}, tens of MB to the whole backup): another installation's, and anything else, are never
     * touched. Each one removed is named.
     */
    private List<String> removePartialsLeftBehind(String destination, SshTarget host, String directory,
                                                  String installation) throws RemoteCommandException {
        String listing = ssh.runForText(host, "cd -- " + quote(directory) + " && for f in .full-backup-*.partial; do"
                + " [ -f \"$f\" ] && printf '%s\\n' \"$f\"; done; true", 1024 * 1024);
        List<String> ours = Arrays.stream(listing.split("\n")).map(String::strip)
                .filter(f -> isPartialOf(f, installation)).toList();
        if (ours.isEmpty()) {
            return List.of();
        }
        ssh.runForText(host, "cd -- " + quote(directory) + " && rm -f -- " + ours.stream().map(ShellQuoting::quote)
                .collect(Collectors.joining(" ")), 1024);
        return ours.stream().map(f -> {
            String what = "removed " + host + ":" + directory + "/" + f + ", the unfinished copy of a run that did"
                    + " not finish";
            LOG.warn("{}: {}", destination, what);
            return what;
        }).toList();
    }

    /** {@code .NAME.partial} or {@code .NAME.sha256.partial} of this installation's copy NAME. */
    static boolean isPartialOf(String file, String installation) {
        if (!file.startsWith(".") || !file.endsWith(".partial")) {
            return false;
        }
        String name = file.substring(1, file.length() - ".partial".length());
        if (name.endsWith(ChecksumSidecar.SUFFIX)) {
            name = name.substring(0, name.length() - ChecksumSidecar.SUFFIX.length());
        }
        return FullBackup.isFileName(name) && FullBackup.installationOf(name).filter(installation::equals).isPresent();
    }

    /**
     * In one session: the checked partial copy (when there is one) linked to its name, then {@code NAME.sha256}
     * beside it, so that {@code sha256sum -c} checks it there with no Java, and {@code .NAME.installation}, which
     * marks the copy as this installation's: only such copies are ever pruned. The directory synced last.
     */
    private void linkAndWriteSidecars(SshTarget host, String directory, String name, String sha256,
                                      String installation, String partial) throws RemoteCommandException {
        String link = partial == null ? "" : "ln -- " + quote(partial) + " " + quote(directory + "/" + name)
                + " && rm -f -- " + quote(partial) + " && ";
        ssh.runForText(host, "umask 077 && " + link + writeWhole(directory, name + ChecksumSidecar.SUFFIX,
                ChecksumSidecar.line(sha256, name).strip()) + " && " + writeWhole(directory, ownerMarker(name),
                installation) + " && sync -- " + quote(directory), 1024);
    }

    private static String writeWhole(String directory, String fileName, String line) {
        String target = directory + "/" + fileName;
        String partial = directory + "/." + fileName + ".partial";
        return "printf '%s\\n' " + quote(line) + " > " + quote(partial) + " && sync -- " + quote(partial)
                + " && mv -f -- " + quote(partial) + " " + quote(target);
    }

    static String ownerMarker(String name) {
        return "." + name + ".installation";
    }

    /**
     * Streams the file to the host as its partial copy, syncs it to the host's disk and checks it there, in one
     * session; the caller links it to its name.
     */
    private void upload(String destination, SshTarget host, Path file, String name, long bytes, String sha256,
                        String partial) throws RemoteCommandException, IOException, DestinationException {
        Progress progress = new Progress(destination + ": copying " + name + " to " + host, bytes,
                Duration.ofSeconds(30), LOG::info);
        ByteArrayOutputStream readBack = new ByteArrayOutputStream();
        try (InputStream in = new ProgressInputStream(Files.newInputStream(file), progress)) {
            // read back from the host's disk once the input has ended, not hashed on the way in: this checks the
            // stored copy
            ssh.execute(host, "umask 077 && cat > " + quote(partial) + " && sync -- " + quote(partial)
                    + " && wc -c < " + quote(partial) + " && " + RemoteSha256.of(quote(partial)), in,
                    readBack);
        }
        String[] check = readBack.toString(StandardCharsets.US_ASCII).strip().split("\\s+");
        if (check.length < 2 || !check[0].equals(String.valueOf(bytes)) || !check[1].equals(sha256)) {
            removeQuietly(host, partial);
            throw new DestinationException(destination + ": the copy on " + host + " does not match: "
                    + String.join(" ", check) + " there, " + bytes + " bytes sha256 " + sha256 + " here");
        }
    }

    /**
     * Keeps the newest {@code keep} of this installation's copies there. A copy is this installation's when its
     * {@code .NAME.installation} marker says so: another installation's copies in the same directory, and copies
     * made before markers existed, are never touched.
     */
    private void prune(String destination, SshTarget host, String directory, int keep, String installation)
            throws RemoteCommandException {
        List<String> backups = copiesIn(ssh, host, directory).entrySet().stream()
                .filter(e -> e.getValue().equals(installation)).map(Map.Entry::getKey)
                .sorted(Comparator.comparing(FullBackup::runIdOf)).toList();
        if (backups.size() <= keep) {
            return;
        }
        List<String> old = backups.subList(0, backups.size() - keep);
        ssh.runForText(host, "cd -- " + quote(directory) + " && rm -f -- "
                + old.stream().map(n -> quote(n) + " " + quote(n + ChecksumSidecar.SUFFIX) + " " + quote(ownerMarker(n)))
                .collect(Collectors.joining(" ")), 1024);
        old.forEach(n -> LOG.info("{}: retention: deleted {}:{}/{} (keeping the newest {})", destination, host,
                directory, n, keep));
    }

    /**
     * The full backups in a directory of a backup host, each with the installation its {@code .NAME.installation}
     * marker names ("" for a copy without one: made before markers existed, or by hand).
     */
    public static Map<String, String> copiesIn(RemoteCommandRunner ssh, SshTarget host, String directory)
            throws RemoteCommandException {
        String listing = ssh.runForText(host, "cd -- " + quote(directory) + " && for f in full-backup-*.tar"
                + " full-backup-*.tar.age; do [ -e \"$f\" ] && printf '%s %s\\n' \"$f\" \"$(cat \".$f.installation\""
                + " 2>/dev/null)\"; done; true", 1024 * 1024);
        Map<String, String> copies = new java.util.TreeMap<>();
        for (String line : listing.split("\n")) {
            String[] fields = line.strip().split(" ", 2);
            if (FullBackup.isFileName(fields[0])) {
                copies.put(fields[0], fields.length > 1 ? fields[1].strip() : "");
            }
        }
        return copies;
    }

    private void removeQuietly(SshTarget host, String path) {
        try {
            ssh.runForText(host, "rm -f -- " + quote(path), 1024);
        } catch (RemoteCommandException ignored) {
            // the .partial name already says it is no backup
        }
    }

    private static String header(Exchange exchange, String name) throws DestinationException {
        String value = exchange.getIn().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new DestinationException("header " + name + " is missing");
        }
        return value;
    }
}
