package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.OpenSshServer;
import org.wirebackup.testing.SshFixture;
import org.wirebackup.testing.TestInstallation;

/**
 * What is at a restore target is one of missing, empty, not empty or cannot be read; only the first two are
 * extracted into as they are, and a target that changed since the plan stops the restore before it is touched.
 */
class TargetStateRestoreTest {

    private static final String FOLDER = "wire-host/home/wire/wire-server";

    @TempDir
    Path tmp;

    @Test
    void aTargetTheSshUserCannotReadIsNeverTakenForEmpty() throws Exception {
        // the SSH user's commands cannot read past file permissions, as a non-root backup user's
        Path root = tmp.resolve("wire");
        try (TestInstallation wire = TestInstallation.create(root,
                SshFixture.startWithoutRootFileAccess(root.resolve("ssh")), FOLDER)) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "what is there now\n");
            Files.setPosixFilePermissions(wire.wireServerFolder, PosixFilePermissions.fromString("---------"));

            Cli.Result plan = Cli.run("restore", "--plan", "--config", settings.toString());
            Cli.Result withoutReplace = Cli.run("restore", "--yes", "--config", settings.toString());

            assertThat(plan.out()).contains("now  cannot be read (the SSH user " + wire.ssh.target().user()
                    + " cannot list it)");
            assertThat(withoutReplace.exitCode()).as(withoutReplace.out() + withoutReplace.err()).isEqualTo(2);
            assertThat(withoutReplace.err()).contains(wire.wireServerFolder + " (cannot be read (the SSH user",
                    "is neither missing nor empty: pass --replace to move each aside", "nothing was changed");
            assertThat(wire.wireServerFolder.resolve("values.yaml")).hasContent("what is there now\n");

            Cli.Result replaced = Cli.run("restore", "--replace", "--yes", "--config", settings.toString());

            assertThat(replaced.exitCode()).as(replaced.out() + replaced.err()).isZero();
            assertThat(wire.wireServerFolder.resolve("values.yaml")).hasContent("brig: {}\n");
            Path aside = wire.wireServerFolder.resolveSibling("wire-server.before-restore-" + runId);
            assertThat(aside.resolve("values.yaml")).as("what could not be read is kept, as it was")
                    .hasContent("what is there now\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(aside))).isEqualTo("---------");
        }
    }

    /**
     * The same on a real host: Debian's OpenSSH server, as an unprivileged user (made here with useradd), whose
     * wire-server folder became a root-owned directory it cannot list.
     */
    @Test
    void overOpenSshAnUnprivilegedUserNeverTakesADirectoryItCannotListForEmpty() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "making an SSH user needs root (CI runs as root)");
        String user = "wbrestore";
        int made = sh("id -u " + user + " >/dev/null 2>&1 || useradd -M -s /bin/sh -p '*' " + user);
        assumeTrue(made == 0, "useradd is not available");
        assertThat(sh("chmod 755 " + tmp)).isZero();
        Path root = tmp.resolve("wire");
        try (OpenSshServer openssh = OpenSshServer.start(tmp.resolve("openssh"));
             TestInstallation wire = TestInstallation.overOpenSsh(root, openssh, user, FOLDER)) {
            // sshd reads authorized_keys as the user
            assertThat(sh("chmod 755 " + openssh.dir + " && chmod 644 " + openssh.dir.resolve("authorized_keys")
                    + " && chmod -R a+rX " + root + " && chown -R " + user + " " + root.resolve("wire-host"))).isZero();
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = wire.writeSettings();
            Cli.Result backup = Cli.run("backup", "--config", settings.toString());
            assertThat(backup.exitCode()).as(backup.out() + backup.err()).isZero();
            String runId = wire.onlyRunRecord().get("runId").asText();
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "what is there now\n");
            assertThat(sh("chown root:root " + wire.wireServerFolder + " && chmod 700 " + wire.wireServerFolder))
                    .isZero();

            Cli.Result plan = Cli.run("restore", "--plan", "--config", settings.toString());
            Cli.Result withoutReplace = Cli.run("restore", "--yes", "--config", settings.toString());

            assertThat(plan.out()).as(plan.out() + plan.err()).contains("now  cannot be read (the SSH user " + user
                    + " cannot list it)");
            assertThat(withoutReplace.exitCode()).as(withoutReplace.out() + withoutReplace.err()).isEqualTo(2);
            assertThat(withoutReplace.err()).contains("is neither missing nor empty: pass --replace",
                    "nothing was changed");
            assertThat(wire.wireServerFolder.resolve("values.yaml")).hasContent("what is there now\n");

            Cli.Result replaced = Cli.run("restore", "--replace", "--yes", "--config", settings.toString());

            assertThat(replaced.exitCode()).as(replaced.out() + replaced.err()).isZero();
            assertThat(wire.wireServerFolder.resolve("values.yaml")).hasContent("brig: {}\n");
            assertThat(wire.wireServerFolder.resolveSibling("wire-server.before-restore-" + runId)
                    .resolve("values.yaml")).as("what could not be read is kept").hasContent("what is there now\n");
        }
    }

    private static int sh(String command) throws Exception {
        return new ProcessBuilder(List.of("sh", "-c", command)).inheritIO().start().waitFor();
    }

    @Test
    void aTargetThatChangesBetweenThePlanAndTheRestoreStopsItBeforeItIsTouched() throws Exception {
        Path root = tmp.resolve("wire");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        // the second look into the target (the restore's, right before it extracts) finds that a service wrote there
        Path find = bin.resolve("find");
        Files.writeString(find, "#!/bin/sh\ncase \"$*\" in *'-mindepth 1 -maxdepth 1'*)\n"
                + "  n=$(cat " + bin.resolve("looks") + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > "
                + bin.resolve("looks") + "\n"
                + "  [ $n -eq 2 ] && echo 'written by a service' > \"$1/written-meanwhile\";;\nesac\n"
                + "exec /usr/bin/find \"$@\"\n");
        Files.setPosixFilePermissions(find, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestInstallation wire = TestInstallation.create(root,
                SshFixture.startWithPathFirst(root.resolve("ssh"), bin), FOLDER)) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = wire.writeSettings();
            assertThat(Cli.run("backup", "--config", settings.toString()).exitCode()).isZero();
            Files.delete(wire.wireServerFolder.resolve("values.yaml"));

            Cli.Result result = Cli.run("restore", "--yes", "--config", settings.toString());

            assertThat(result.out()).contains("now  empty");
            assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
            assertThat(result.out()).contains("FAILED  wire-server.tar.gz", wire.wireServerFolder + " changed since"
                    + " the plan: it was empty, it is not empty now; the restore stopped before changing it");
            try (Stream<Path> there = Files.list(wire.wireServerFolder)) {
                assertThat(there.map(p -> p.getFileName().toString())).containsExactly("written-meanwhile");
            }
        }
    }
}
