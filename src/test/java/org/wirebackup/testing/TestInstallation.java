package org.wirebackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Wire host for the tests: a real SSH server on loopback, a wire-server folder with files in it, and a settings
 * file pointing wire-backup at them. Settings can be changed before {@link #writeSettings()}.
 */
public final class TestInstallation implements AutoCloseable {

    public final SshFixture ssh;
    public final Path root;
    public final Path wireServerFolder;
    public final Path backupDir;
    public final Path routesDir;
    public final Map<String, String> settings = new LinkedHashMap<>();

    private TestInstallation(Path root, SshFixture ssh, String folderPath) throws IOException {
        this(root, ssh, ssh.identityFile, ssh.knownHosts, ssh.hostSpec(), folderPath);
    }

    private TestInstallation(Path root, SshFixture ssh, Path identityFile, Path knownHosts, String hostSpec,
                             String folderPath) throws IOException {
        this.root = root;
        this.ssh = ssh;
        this.wireServerFolder = Files.createDirectories(root.resolve(folderPath));
        this.backupDir = root.resolve("backups");
        this.routesDir = Files.createDirectories(root.resolve("routes"));
        settings.put("backup.dir", backupDir.toString());
        settings.put("backup.routes-dir", routesDir.toString());
        settings.put("backup.ssh.identity-file", identityFile.toString());
        settings.put("backup.ssh.known-hosts", knownHosts.toString());
        settings.put("backup.wire-server.host", hostSpec);
        settings.put("backup.wire-server.path", wireServerFolder.toString());
        // the tests open the parts after the run; removing them after aggregation has its own test
        settings.put("backup.keep-parts", "true");
        settings.put("backup.installation-id", "wire-test");
    }

    /** The name of this installation's copy of a run's full backup at a destination. */
    public String copyName(String runId) {
        return copyName(runId, false);
    }

    public String copyName(String runId, boolean encrypted) {
        return org.wirebackup.run.FullBackup.copyName(runId, settings.get("backup.installation-id"), encrypted);
    }

    public static TestInstallation create(Path root) throws IOException {
        return new TestInstallation(root, SshFixture.start(root.resolve("ssh")), "wire-host/home/wire/wire-server");
    }

    public static TestInstallation create(Path root, SshFixture ssh, String folderPath) throws IOException {
        return new TestInstallation(root, ssh, folderPath);
    }

    /** Its hosts are Debian's OpenSSH server, as {@code user} ({@link #ssh} is null; the caller stops the server). */
    public static TestInstallation overOpenSsh(Path root, OpenSshServer openssh, String user, String folderPath)
            throws IOException {
        org.wirebackup.ssh.SshTarget target = openssh.target(user);
        return new TestInstallation(root, null, openssh.identityFile, openssh.knownHosts,
                target.user() + "@" + target.host() + ":" + target.port(), folderPath);
    }

    public TestInstallation set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public Path writeSettings() throws IOException {
        Path file = root.resolve("application.properties");
        Files.writeString(file, settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    /** The record of the one run made so far. */
    public JsonNode onlyRunRecord() throws IOException {
        try (Stream<Path> runs = Files.list(backupDir.resolve("runs"))) {
            List<Path> dirs = runs.toList();
            if (dirs.size() != 1) {
                throw new AssertionError("expected one run, found " + dirs);
            }
            return new ObjectMapper().readTree(dirs.get(0).resolve("run.json").toFile());
        }
    }

    /** A source's part file, in its run's directory. */
    public Path part(JsonNode record, JsonNode source) {
        return runDir(record.get("runId").asText()).resolve(source.get("file").asText());
    }

    public Path runDir(String runId) {
        return backupDir.resolve("runs").resolve(runId);
    }

    @Override
    public void close() throws IOException {
        if (ssh != null) {
            ssh.close();
        }
    }
}
