package org.wirebackup.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.testing.SshFixture;

class RemoteCommandRunnerTest {

    @TempDir
    Path tmp;
    SshFixture ssh;
    RemoteCommandRunner runner;

    @BeforeEach
    void start() throws IOException {
        ssh = SshFixture.start(tmp.resolve("ssh"));
        runner = new RemoteCommandRunner(ssh.settings(Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() throws IOException {
        runner.close();
        ssh.close();
    }

    @Test
    void streamsStdoutToTheFileWithItsSha256() throws Exception {
        Path out = tmp.resolve("out.bin");
        StreamedFile file = runner.streamToFile(ssh.target(), "head -c 3000000 /dev/urandom | tee "
                + tmp.resolve("sent.bin") + "; echo note >&2", out);

        byte[] sent = Files.readAllBytes(tmp.resolve("sent.bin"));
        assertThat(Files.readAllBytes(out)).isEqualTo(sent);
        assertThat(file.bytes()).isEqualTo(3_000_000L);
        assertThat(file.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sent)));
        assertThat(file.stderrTail()).isEqualTo("note");
        assertThat(Path.of(out + ".partial")).doesNotExist();
    }

    @Test
    void nonZeroExitFailsWithStatusAndStderrAndLeavesNoFile() {
        Path out = tmp.resolve("out.bin");
        assertThatThrownBy(() -> runner.streamToFile(ssh.target(), "echo partial-data; echo 'it broke' >&2; exit 3", out))
                .isInstanceOfSatisfying(RemoteCommandException.class, e -> {
                    assertThat(e.exitStatus()).isEqualTo(3);
                    assertThat(e.stderrTail()).isEqualTo("it broke");
                    assertThat(e.getMessage()).contains("exited with status 3");
                });
        assertThat(out).doesNotExist();
        assertThat(Path.of(out + ".partial")).doesNotExist();
    }

    @Test
    void unknownHostKeyIsRefusedNamingHostAndFingerprint() throws Exception {
        Files.writeString(ssh.knownHosts, KeyMaterial.knownHostsLine("127.0.0.1", 1, ssh.hostKey.getPublic()) + "\n");
        try (RemoteCommandRunner strict = new RemoteCommandRunner(ssh.settings(Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> strict.execute(ssh.target(), "touch " + tmp.resolve("ran"),
                    InputStream.nullInputStream(), OutputStream.nullOutputStream()))
                    .isInstanceOf(HostKeyRejectedException.class)
                    .hasMessageContaining("127.0.0.1:" + ssh.server.port())
                    .hasMessageContaining("is not in known_hosts")
                    .hasMessageContaining(org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(ssh.hostKey.getPublic()));
        }
        assertThat(tmp.resolve("ran")).doesNotExist();
        assertThat(Files.readAllLines(ssh.knownHosts)).hasSize(1); // nothing was added to known_hosts
    }

    @Test
    void changedHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        var other = KeyMaterial.generateEcdsa();
        Files.writeString(ssh.knownHosts, KeyMaterial.knownHostsLine("127.0.0.1", ssh.server.port(), other.getPublic()) + "\n");
        try (RemoteCommandRunner strict = new RemoteCommandRunner(ssh.settings(Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> strict.execute(ssh.target(), "touch " + tmp.resolve("ran"),
                    InputStream.nullInputStream(), OutputStream.nullOutputStream()))
                    .isInstanceOf(HostKeyRejectedException.class)
                    .hasMessageContaining("CHANGED")
                    .hasMessageContaining(org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(other.getPublic()))
                    .hasMessageContaining(org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(ssh.hostKey.getPublic()));
        }
        assertThat(tmp.resolve("ran")).doesNotExist();
        assertThat(Files.readString(ssh.knownHosts)).contains(KeyMaterial.publicKeyLine(other.getPublic()));
    }

    @Test
    void wrongClientKeyIsRefused() throws Exception {
        var stranger = KeyMaterial.generateEcdsa();
        SshSettings settings = new SshSettings(ssh.knownHosts, List.of(stranger), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (RemoteCommandRunner wrongKey = new RemoteCommandRunner(settings)) {
            assertThatThrownBy(() -> wrongKey.execute(ssh.target(), "touch " + tmp.resolve("ran"),
                    InputStream.nullInputStream(), OutputStream.nullOutputStream()))
                    .isInstanceOf(RemoteCommandException.class)
                    .isNotInstanceOf(HostKeyRejectedException.class)
                    .hasMessageContaining("authentication as " + ssh.target().user());
        }
        assertThat(tmp.resolve("ran")).doesNotExist();
    }

    @Test
    void commandTimeoutStopsTheRemoteCommand() throws Exception {
        Path pidFile = tmp.resolve("pid");
        try (RemoteCommandRunner quick = new RemoteCommandRunner(ssh.settings(Duration.ofSeconds(2)))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> quick.streamToFile(ssh.target(),
                    "echo $$ > " + pidFile + "; sleep 300; echo never", tmp.resolve("out")))
                    .isInstanceOf(RemoteCommandException.class)
                    .hasMessageContaining("timed out after 2s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the remote shell was stopped").isFalse();
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aCommandThatMakesNoProgressIsStoppedHereAndOnTheHost() throws Exception {
        Path pidFile = tmp.resolve("pid");
        try (RemoteCommandRunner watched = new RemoteCommandRunner(ssh.stallingAfter(Duration.ofSeconds(2)))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> watched.streamToFile(ssh.target(), "echo started; echo $$ > " + pidFile
                    + "; exec sleep 300", tmp.resolve("out")))
                    .isInstanceOf(RemoteCommandException.class)
                    .hasMessageContaining("made no progress for 2s (backup.ssh.stall-timeout")
                    .hasMessageContaining("stopped on the host too");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        awaitGone(pid);
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aCommandThatStopsReadingItsInputIsStopped() throws Exception {
        Path pidFile = tmp.resolve("pid");
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        try (RemoteCommandRunner watched = new RemoteCommandRunner(ssh.stallingAfter(Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> watched.execute(ssh.target(), "head -c 1000000 > /dev/null; echo $$ > " + pidFile
                    + "; exec sleep 300", endless, OutputStream.nullOutputStream()))
                    .isInstanceOf(RemoteCommandException.class)
                    .hasMessageContaining("made no progress for 2s");
        }
        awaitGone(Long.parseLong(Files.readString(pidFile).trim()));
    }

    /** OpenSSH keeps a command whose channel closed running (no pty, no hang-up): only the stop on the host ends it. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aStalledCommandOnOpenSshIsStoppedOnTheHostWithItsChildren() throws Exception {
        Path pidFile = tmp.resolve("pid");
        try (org.wirebackup.testing.OpenSshServer openssh = org.wirebackup.testing.OpenSshServer.start(
                tmp.resolve("openssh"));
             RemoteCommandRunner watched = new RemoteCommandRunner(openssh.stallingAfter(Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> watched.runForText(openssh.target(), "sleep 300 & echo $! > " + pidFile
                    + "; wait", 1024))
                    .isInstanceOf(RemoteCommandException.class)
                    .hasMessageContaining("made no progress for 2s")
                    .hasMessageContaining("stopped on the host too");
            awaitGone(Long.parseLong(Files.readString(pidFile).trim()));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHostWithoutPkillIsNamedAsOneWhereTheStalledCommandMayStillRun() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("pkill"), "#!/bin/sh\necho 'pkill: not found' >&2\nexit 127\n");
        bin.resolve("pkill").toFile().setExecutable(true);
        Path pidFile = tmp.resolve("pid");
        try (SshFixture withoutPkill = SshFixture.startWithPathFirst(tmp.resolve("ssh-without-pkill"), bin);
             RemoteCommandRunner watched = new RemoteCommandRunner(withoutPkill.stallingAfter(Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> watched.runForText(withoutPkill.target(), "sleep 300 & echo $! > " + pidFile
                    + "; wait", 1024))
                    .isInstanceOf(RemoteCommandException.class)
                    .hasMessageContaining("made no progress for 2s")
                    .hasMessageContaining("stopping it on the host failed too (pkill ended with 127")
                    .hasMessageContaining("look for wire-backup-command-");
        } finally {
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void workThatMovesRunsPastTheStallTimeout() throws Exception {
        try (RemoteCommandRunner watched = new RemoteCommandRunner(ssh.stallingAfter(Duration.ofSeconds(2)))) {
            long started = System.nanoTime();
            String out = watched.runForText(ssh.target(), "i=0; while [ $i -lt 10 ]; do echo tick $i; sleep 0.5;"
                    + " i=$((i + 1)); done", 4096);
            assertThat(out).contains("tick 9");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("longer than the stall timeout")
                    .isGreaterThan(Duration.ofSeconds(4));
        }
    }

    private static void awaitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the command was stopped on the host").isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHostThatAcceptsTheConnectionButNeverSpeaksSshFailsAtTheAuthTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             RemoteCommandRunner impatient = withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2))) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    held.add(silent.accept());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            SshTarget target = new SshTarget("wire", "127.0.0.1", silent.getLocalPort());

            assertThatThrownBy(() -> runTrue(impatient, target))
                    .isInstanceOf(RemoteCommandException.class)
                    .hasMessageContaining("no SSH login on " + target + " within 2s")
                    .hasMessageNotContaining("authorized_keys");
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHostThatDoesNotAnswerFailsAtTheConnectTimeout() throws Exception {
        // a listener that never accepts, with its accept queue full: the kernel drops further SYNs unanswered
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             RemoteCommandRunner impatient = withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
            List<java.nio.channels.SocketChannel> queued = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(full.getLocalSocketAddress());
                queued.add(channel);
            }
            SshTarget target = new SshTarget("wire", "127.0.0.1", full.getLocalPort());
            try {
                assertThatThrownBy(() -> runTrue(impatient, target))
                        .isInstanceOf(RemoteCommandException.class)
                        .hasMessageContaining("cannot connect to 127.0.0.1:" + full.getLocalPort() + " within 1s");
            } finally {
                for (java.nio.channels.SocketChannel channel : queued) {
                    channel.close();
                }
            }
        }
    }

    @Test
    void aRefusedConnectionSaysSoAndNothingAboutTheTimeout() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SshTarget target = new SshTarget("wire", "127.0.0.1", closedPort);

        assertThatThrownBy(() -> runTrue(runner, target))
                .isInstanceOf(RemoteCommandException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + closedPort + ": Connection refused")
                .hasMessageNotContaining("within");
    }

    @Test
    void aCommandThatStopsReadingItsInputFailsWithItsOwnExitStatus() {
        assertThatThrownBy(() -> runner.execute(ssh.target(), "head -c 10 > /dev/null; exit 3",
                new java.io.ByteArrayInputStream(new byte[50 * 1024 * 1024]), OutputStream.nullOutputStream()))
                .isInstanceOf(RemoteCommandException.class)
                .hasMessageContaining("command exited with status 3");
    }

    @Test
    void inputThatCannotBeReadHereAbortsTheCommandInsteadOfEndingItsInput() {
        Path written = tmp.resolve("written");
        InputStream breaksHalfWay = new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(new byte[3 * 1024 * 1024]), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("disk read error");
                    }
                });

        assertThatThrownBy(() -> runner.execute(ssh.target(), "cat > " + written + " && echo done > " + written + ".ok",
                breaksHalfWay, OutputStream.nullOutputStream()))
                .isInstanceOf(RemoteCommandException.class)
                .hasMessageContaining("reading the command's input here failed: disk read error");
        assertThat(tmp.resolve("written.ok")).as("the command never saw a clean end of its input").doesNotExist();
    }

    private RemoteCommandRunner withTimeouts(Duration connect, Duration auth) {
        return new RemoteCommandRunner(new SshSettings(ssh.knownHosts, List.of(ssh.clientKey), connect, auth,
                Duration.ofSeconds(30)));
    }

    private static void runTrue(RemoteCommandRunner runner, SshTarget target) throws Exception {
        runner.execute(target, "true", InputStream.nullInputStream(), OutputStream.nullOutputStream());
    }

    @Test
    void feedsStdinToTheCommand() throws Exception {
        Path received = tmp.resolve("received");
        runner.execute(ssh.target(), "cat > " + received, new java.io.ByteArrayInputStream("hello".getBytes()),
                OutputStream.nullOutputStream());
        assertThat(received).hasContent("hello");
    }
}
