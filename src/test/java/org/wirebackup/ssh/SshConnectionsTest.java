package org.wirebackup.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.OpenSshServer;
import org.wirebackup.testing.SshFixture;

/** The steps of a run reuse one SSH connection per host, as OpenSSH's ControlMaster does, within the host's limits. */
class SshConnectionsTest {

    @TempDir
    Path tmp;
    SshFixture ssh;
    RemoteCommandRunner runner;
    ExecutorService threads = Executors.newFixedThreadPool(4);

    @BeforeEach
    void start() throws IOException {
        ssh = SshFixture.start(tmp.resolve("ssh"));
        runner = new RemoteCommandRunner(ssh.settings(Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() throws IOException {
        threads.shutdownNow();
        runner.close();
        ssh.close();
    }

    @Test
    void commandsToOneHostAreChannelsOfOneConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(runner.runForText(ssh.target(), "echo step " + i, 1024).strip()).isEqualTo("step " + i);
        }
        List<Future<String>> together = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            together.add(threads.submit(() -> runner.runForText(ssh.target(), "sleep 0.3; echo at once " + n, 1024)));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(together.get(i).get().strip()).isEqualTo("at once " + i);
        }

        assertThat(ssh.server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void twoLargeStreamsFromOneHostGetAConnectionEachAndLaterStepsReuseThem() throws Exception {
        List<Future<StreamedFile>> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("stream-" + i + ".bin");
            streams.add(threads.submit(() -> runner.streamToFile(ssh.target(), "sleep 0.5; head -c 2000000 /dev/zero",
                    out)));
        }
        for (Future<StreamedFile> stream : streams) {
            assertThat(stream.get().bytes()).isEqualTo(2_000_000L);
        }
        assertThat(ssh.server.connectionsAccepted()).isEqualTo(2);

        assertThat(runner.runForText(ssh.target(), "echo after", 1024).strip()).isEqualTo("after");
        assertThat(ssh.server.connectionsAccepted()).isEqualTo(2);
    }

    /** OpenSSH refuses a channel beyond its MaxSessions and keeps the connection: the command gets a new one. */
    @Test
    void anOpenSshHostThatAllowsOneSessionPerConnectionStillRunsEveryCommand() throws Exception {
        try (OpenSshServer openssh = OpenSshServer.start(tmp.resolve("openssh"), "MaxSessions 1");
             RemoteCommandRunner toOpenSsh = new RemoteCommandRunner(openssh.settings())) {
            assertThat(toOpenSsh.runForText(openssh.target(), "echo first", 1024).strip()).isEqualTo("first");
            for (int wave = 0; wave < 2; wave++) { // the second wave meets the connections the first one opened
                List<Future<String>> together = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    together.add(threads.submit(() -> toOpenSsh.runForText(openssh.target(),
                            "sleep 0.3; echo command " + n, 1024)));
                }
                for (int i = 0; i < 4; i++) {
                    assertThat(together.get(i).get().strip()).isEqualTo("command " + i);
                }
            }
            Path out = tmp.resolve("after.bin");
            assertThat(toOpenSsh.streamToFile(openssh.target(), "printf data", out).bytes()).isEqualTo(4L);
            assertThat(Files.readString(out)).isEqualTo("data");
            assertThat(openssh.log()).as("the host did refuse sessions").contains("no more sessions");
        }
    }
}
