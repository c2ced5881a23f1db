package org.wirebackup.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.wirebackup.ssh.IdentityFiles;
import org.wirebackup.ssh.SshSettings;
import org.wirebackup.ssh.SshTarget;

/**
 * Debian's OpenSSH server ({@code /usr/sbin/sshd}, installed by .ci/run) on a free loopback port with its own keys and
 * config, for what only the real server shows (its MaxSessions refusal); stopped by PID. Its commands run with an empty
 * home, as the benches' server does.
 */
public final class OpenSshServer implements AutoCloseable {

    public final Path dir;
    public final int port;
    public final Path identityFile;
    public final Path knownHosts;
    private final long pid;

    private OpenSshServer(Path dir, int port, long pid) {
        this.dir = dir;
        this.port = port;
        this.identityFile = dir.resolve("id_ed25519");
        this.knownHosts = dir.resolve("known_hosts");
        this.pid = pid;
    }

    /** @param config more sshd_config lines, e.g. {@code MaxSessions 1} */
    public static OpenSshServer start(Path dir, String... config) throws Exception {
        Path sshd = Path.of("/usr/sbin/sshd");
        if (!Files.isExecutable(sshd)) {
            throw new IllegalStateException("/usr/sbin/sshd is missing: install Debian's openssh-server (.ci/run does)");
        }
        Files.createDirectories(dir.resolve("home"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_ed25519").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id_ed25519").toString());
        Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                + Files.readString(dir.resolve("host_ed25519.pub")));
        Files.writeString(dir.resolve("sshd_config"), String.join("\n", List.of(
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_ed25519"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PermitRootLogin prohibit-password", "SetEnv HOME=" + dir.resolve("home"))) + "\n"
                + String.join("\n", config) + "\n");
        Files.createDirectories(Path.of("/run/sshd"));
        run(sshd.toString(), "-f", dir.resolve("sshd_config").toString(), "-E", dir.resolve("sshd.log").toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            // sshd creates its pid file before it writes the number: an empty file means "a moment more"
            String pidText = Files.exists(dir.resolve("sshd.pid")) ? Files.readString(dir.resolve("sshd.pid")).strip()
                    : "";
            if (pidText.matches("\\d+")) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return new OpenSshServer(dir, port, Long.parseLong(pidText));
                } catch (IOException notYet) {
                    // listening in a moment
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
    }

    public SshTarget target() {
        return target(System.getProperty("user.name"));
    }

    /** Another user of this machine, e.g. one made with {@code useradd} for what only an unprivileged user sees. */
    public SshTarget target(String user) {
        return new SshTarget(user, "127.0.0.1", port);
    }

    public SshSettings settings() throws IOException {
        return new SshSettings(knownHosts, IdentityFiles.load(identityFile, null), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** No wall-clock limit (the default), the given stall timeout. */
    public SshSettings stallingAfter(Duration stallTimeout) throws IOException {
        return new SshSettings(knownHosts, IdentityFiles.load(identityFile, null), Duration.ofSeconds(10),
                Duration.ofSeconds(10), null, stallTimeout);
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
}
