package org.wirebackup.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.testing.SshFixture;

/** The SSH copy against a real SSH server: retries are safe, pruning never undoes a good copy. */
class ScpDestinationTest {

    @TempDir
    Path tmp;
    SshFixture host;
    RemoteCommandRunner ssh;
    ScpDestination destination;
    DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void start() throws Exception {
        host = SshFixture.start(tmp.resolve("ssh"));
        ssh = new RemoteCommandRunner(host.settings(Duration.ofMinutes(1)));
        destination = new ScpDestination(ssh, "wire");
    }

    /** The copy's name there: the run id and the installation. */
    private static final String COPY = "full-backup-20261201T100000Z-wire-test.tar";

    @AfterEach
    void stop() throws Exception {
        ssh.close();
        host.close();
    }

    @Test
    void aRetryThatFindsItsOwnGoodCopyAlreadyThereAcceptsIt() throws Exception {
        Path backup = fullBackup("full-backup-20261201T100000Z.tar", "the backup");
        Path dir = tmp.resolve("host/srv/backups");

        destination.copy(exchange(backup, dir, 0));
        Exchange retry = exchange(backup, dir, 0);
        destination.copy(retry);

        assertThat(retry.getIn().getHeader(FullBackupHeaders.LOCATION, String.class)).endsWith(dir + "/" + COPY);
        assertThat(Files.readString(dir.resolve(COPY))).isEqualTo("the backup");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(COPY,
                    COPY + ".sha256", "." + COPY + ".installation");
        }
    }

    /** A run that lost its cluster lock while copying never links the copy into place, nor leaves its partial. */
    @Test
    void aRunThatLostItsClusterLockLinksNothing() throws Exception {
        Path backup = fullBackup("full-backup-20261201T100000Z.tar", "the backup");
        Path dir = tmp.resolve("host/srv/backups");
        Exchange exchange = exchange(backup, dir, 1);
        java.util.List<String> asked = new java.util.ArrayList<>();
        exchange.getIn().setHeader(FullBackupHeaders.FENCE, (org.wirebackup.run.Fence) action -> {
            asked.add(action);
            throw new org.wirebackup.run.Fence.LockLostException("not " + action + ": lock lost");
        });

        assertThatThrownBy(() -> destination.copy(exchange)).hasMessageContaining("not linking " + COPY
                + " into place");

        assertThat(asked).singleElement().asString().startsWith("linking " + COPY);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no copy, no partial, no marker").isEmpty();
        }
    }

    /**
     * On Debian's OpenSSH: the unfinished copies this installation's killed runs left go, named; another
     * installation's, and one without an installation in its name, stay; pruning keeps the other installation's copy.
     */
    @Test
    void onOpenSshOnlyThisInstallationsLeftoversAndOldCopiesGo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("openssh-host/srv/backups"));
        for (String name : List.of(".full-backup-20261130T100000Z-wire-test.tar.partial",
                ".full-backup-20261130T100000Z-wire-test.tar.sha256.partial",
                ".full-backup-20261130T100000Z-wire-other.tar.partial", ".full-backup-20261130T100000Z.tar.partial")) {
            Files.writeString(dir.resolve(name), "half a copy");
        }
        Files.writeString(dir.resolve("full-backup-20261130T090000Z-wire-other.tar"), "b's copy");
        Files.writeString(dir.resolve(".full-backup-20261130T090000Z-wire-other.tar.installation"), "wire-other\n");
        Files.writeString(dir.resolve("full-backup-20261130T080000Z-wire-test.tar"), "our older copy");
        Files.writeString(dir.resolve(".full-backup-20261130T080000Z-wire-test.tar.installation"), "wire-test\n");
        Path backup = fullBackup("full-backup-20261201T100000Z.tar", "the backup");
        try (org.wirebackup.testing.OpenSshServer openssh = org.wirebackup.testing.OpenSshServer.start(
                tmp.resolve("openssh"));
             RemoteCommandRunner runner = new RemoteCommandRunner(openssh.settings())) {
            Exchange exchange = exchange(backup, dir, 1);
            exchange.getIn().setHeader(ScpDestination.HOST, openssh.target().toString());

            new ScpDestination(runner, "wire").copy(exchange);

            assertThat(exchange.getIn().getHeader(FullBackupHeaders.WARNINGS, List.class)).hasSize(2)
                    .allSatisfy(w -> assertThat(w.toString()).contains("the unfinished copy of a run that did not"
                            + " finish"))
                    .anySatisfy(w -> assertThat(w.toString()).contains(
                            "/.full-backup-20261130T100000Z-wire-test.tar.partial"));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    ".full-backup-20261130T090000Z-wire-other.tar.installation",
                    ".full-backup-20261130T100000Z-wire-other.tar.partial",
                    ".full-backup-20261130T100000Z.tar.partial",
                    "." + COPY + ".installation",
                    "full-backup-20261130T090000Z-wire-other.tar",
                    COPY, COPY + ".sha256");
        }
    }

    @Test
    void anotherFileUnderTheSameNameIsNeverReplaced() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("host/srv/backups"));
        Files.writeString(dir.resolve(COPY), "an operator's file");
        Path backup = fullBackup("full-backup-20261201T100000Z.tar", "the backup");

        assertThatThrownBy(() -> destination.copy(exchange(backup, dir, 0)))
                .hasMessageContaining("exists already with other content").hasMessageContaining("refusing to overwrite");
        assertThat(Files.readString(dir.resolve(COPY))).isEqualTo("an operator's file");
    }

    @Test
    void aPruneThatFailsAfterAGoodCopyIsAWarningNotAFailedCopy() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("host/srv/backups"));
        // rm -f cannot remove a directory: pruning this old "backup" fails
        Files.createDirectories(dir.resolve("full-backup-20200101T000000Z.tar/inside"));
        Files.writeString(dir.resolve(".full-backup-20200101T000000Z.tar.installation"), "wire-test\n");
        Path backup = fullBackup("full-backup-20261201T100000Z.tar", "the backup");
        Exchange exchange = exchange(backup, dir, 1);

        destination.copy(exchange);

        assertThat(dir.resolve(COPY)).hasContent("the backup");
        assertThat(exchange.getIn().getHeader(FullBackupHeaders.WARNINGS, List.class)).singleElement().asString()
                .contains("the copy is good, but pruning old backups", "failed");
    }

    @Test
    void theCopyIsSyncedToTheHostsDiskBeforeItIsLinkedIntoPlace() throws Exception {
        // the host's own sync, wrapped: it notes each file it syncs and whether the final name existed by then
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path syncLog = tmp.resolve("sync.log");
        Path dir = tmp.resolve("host/srv/backups");
        Path backup = fullBackup("full-backup-20261201T100000Z.tar", "the backup");
        Path wrapper = Files.writeString(bin.resolve("sync"), "#!/bin/sh\n"
                + "for f in \"$@\"; do if [ -e " + dir.resolve(COPY) + " ]; then state=linked;"
                + " else state=unlinked; fi; echo \"$f $state\" >> " + syncLog + "; done\n"
                + "exec /bin/sync \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        try (SshFixture syncingHost = SshFixture.startWithPathFirst(tmp.resolve("ssh2"), bin);
             RemoteCommandRunner runner = new RemoteCommandRunner(syncingHost.settings(Duration.ofMinutes(1)))) {
            Exchange exchange = exchange(backup, dir, 0);
            exchange.getIn().setHeader(ScpDestination.HOST, syncingHost.hostSpec());

            new ScpDestination(runner, "wire").copy(exchange);
        }

        assertThat(Files.readAllLines(syncLog)).contains(dir.resolve("." + COPY + ".partial")
                + " unlinked", dir + " linked");
    }

    private Path fullBackup(String name, String content) throws Exception {
        return Files.writeString(Files.createDirectories(tmp.resolve("local")).resolve(name), content);
    }

    private Exchange exchange(Path backup, Path dir, int keep) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader(ScpDestination.HOST, host.hostSpec());
        exchange.getIn().setHeader(ScpDestination.DIRECTORY, dir.toString());
        exchange.getIn().setHeader(ScpDestination.KEEP, keep);
        exchange.getIn().setHeader(FullBackupHeaders.DESTINATION, "offsite");
        exchange.getIn().setHeader(FullBackupHeaders.INSTALLATION, "wire-test");
        exchange.getIn().setHeader(FullBackupHeaders.RUN_ID, "20261201T100000Z");
        exchange.getIn().setHeader(FullBackupHeaders.FILE, backup.toString());
        exchange.getIn().setHeader(FullBackupHeaders.BYTES, Files.size(backup));
        exchange.getIn().setHeader(FullBackupHeaders.SHA256,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(backup))));
        return exchange;
    }
}
