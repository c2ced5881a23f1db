package org.wirebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.TestInstallation;

/** The packaged jar as an operator runs it: help, environment overrides, secrets, exit codes. */
class PackagedJarIT {

    @TempDir
    Path tmp;

    @Test
    void helpListsTheCommands() throws Exception {
        JarProcess.Result help = JarProcess.run(List.of(), Map.of(), tmp, 60, "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("run", "backup", "demo", "--version");
        JarProcess.Result backupHelp = JarProcess.run(List.of(), Map.of(), tmp, 60, "backup", "--help");
        assertThat(backupHelp.exitCode()).isZero();
        assertThat(backupHelp.output()).contains("--config", "WIRE_BACKUP_CONFIG");
    }

    @Test
    void theDemoBacksUpVerifiesRestoresIntoFreshDirectoriesWithIdenticalTreesAndDrills() throws Exception {
        JarProcess.Result demo = JarProcess.run(List.of("-Xmx256m"), Map.of(), tmp, 240, "demo", "--dir",
                tmp.resolve("demo").toString());

        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("is a good full backup", "restore --only wire-server,minio --identity",
                        "Restore plan for", "of run ", ": OK in", ".tar.age", "encrypted (age) to 1 recipient(s)",
                        "note  encrypted (age)", "OK    wire-server.tar.gz")
                .doesNotContain("DIFFERENT");
        String secret = java.nio.file.Files.readString(tmp.resolve("demo/keys/age-key.txt")).lines()
                .filter(l -> l.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow();
        assertThat(demo.output()).doesNotContain(secret);
        assertThat(demo.output().lines().filter(l -> l.startsWith("  identical  ")).count()).isEqualTo(3);
        assertThat(demo.output()).containsPattern("wire-backup drill \\d{8}T\\d{6}Z of run \\d{8}T\\d{6}Z \\(copy from"
                + " backup-host\\): OK; RTO [0-9.]+s");
    }

    @Test
    void encryptedKeyWithItsPassphraseFromTheEnvironmentAndNoSecretIsEverPrinted() throws Exception {
        String passphrase = "Tr0ub4dor&3-never-in-logs";
        String webhookSecret = "T0AAAA/B0BBBB/webhook-secret-path";
        String smtpPassword = "smtp-never-in-logs";
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path encrypted = tmp.resolve("id_encrypted");
            KeyMaterial.writePrivateKey(wire.ssh.clientKey, encrypted, passphrase);
            wire.set("backup.ssh.identity-file", encrypted.toString())
                    // a Slack or Mattermost webhook URL is itself a secret: its path is the token
                    .set("backup.alert.webhook.url", "https://hooks.example.com/services/" + webhookSecret)
                    .set("backup.alert.email.to", "ops@example.com")
                    .set("backup.alert.email.username", "alerts");

            JarProcess.Result result = JarProcess.run(List.of(), Map.of("WIRE_BACKUP_SSH_KEY_PASSPHRASE", passphrase,
                    "WIRE_BACKUP_SMTP_PASSWORD", smtpPassword), tmp, 120, "backup", "--config",
                    wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("OK").doesNotContain(passphrase).doesNotContain(webhookSecret)
                    .doesNotContain(smtpPassword);
        }
    }

    @Test
    void environmentOverridesTheSettingsFileAndABadValueThereIsNamedByItsKey() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            JarProcess.Result result = JarProcess.run(List.of(), Map.of("BACKUP_SCHEDULE_CRON", "hourly"),
                    tmp, 60, "backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.output()).contains("wire-backup: configuration error: backup.schedule.cron: 'hourly'");
        }
    }

    @Test
    void runServiceBacksUpOnItsScheduleAndStopsOnSigterm() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.schedule.cron", "0/2 * * * * ?");
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                wire.set("camel.management.port", String.valueOf(free.getLocalPort()));
            }
            Path log = tmp.resolve("run.log");
            Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", JarProcess.JAR.toString(), "run", "--config", wire.writeSettings().toString())
                    .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (okRuns(wire) < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(okRuns(wire)).as(Files.readString(log)).isGreaterThanOrEqualTo(2);
            } finally {
                service.destroy(); // SIGTERM, as systemd or a container runtime stops it
            }
            assertThat(service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("Started schedule", "is shutting down");
        }
    }

    private static long okRuns(TestInstallation wire) throws java.io.IOException {
        return new org.wirebackup.run.RunRecordStore(wire.backupDir).all().stream()
                .filter(r -> r.status() == org.wirebackup.run.RunStatus.OK).count();
    }

    @Test
    void aFailedRunExitsNonZero() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            wire.set("backup.wire-server.path", "/no/such/wire-server");

            JarProcess.Result result = JarProcess.run(List.of(), Map.of(), tmp, 60,
                    "backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output()).contains("FAILED", "wire-backup ALERT", "step=capture");
        }
    }

    @Test
    void theManagementPortComesFromTheEnvironmentAndTheContainersHealthcheckPassesAgainstIt() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.schedule.cron", "0 0 0 1 1 ? 2099");
            JarProcess.Started service = JarProcess.start(List.of(), Map.of("CAMEL_MANAGEMENT_PORT",
                    String.valueOf(port)), tmp, "run", "--config", wire.writeSettings().toString());
            try {
                List<String> healthcheck = dockerHealthcheck(port);
                long deadline = System.nanoTime() + 60_000_000_000L;
                int status = -1;
                while (System.nanoTime() < deadline && status != 0) {
                    assertThat(service.process().isAlive()).as(Files.readString(service.log())).isTrue();
                    Process check = new ProcessBuilder(healthcheck).redirectErrorStream(true).start();
                    check.getInputStream().readAllBytes();
                    status = check.waitFor();
                    if (status != 0) {
                        Thread.sleep(500);
                    }
                }
                assertThat(status).as("the Dockerfile's HEALTHCHECK against CAMEL_MANAGEMENT_PORT=" + port + ":\n"
                        + Files.readString(service.log())).isZero();
            } finally {
                service.process().destroy();
                service.process().waitFor();
            }
        }
    }

    @Test
    void verifyOfAFileItCannotOpenSaysPermissionDenied() throws Exception {
        Path unreadable = Files.writeString(tmp.resolve("full-backup-20261201T100000Z.tar"), "x");
        Files.setPosixFilePermissions(unreadable, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        // as root (CI), only without root's override of file permissions is the file unreadable
        List<String> withoutRootsOverride = "root".equals(System.getProperty("user.name"))
                ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--") : List.of();

        JarProcess.Result result = JarProcess.runWrapped(withoutRootsOverride, Map.of(), tmp, 60, "verify",
                unreadable.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("FAIL  cannot open " + unreadable + ": permission denied")
                .doesNotContain("not a readable tar");
    }

    /** The Dockerfile's HEALTHCHECK command, pointed at {@code port} instead of the image's 9876. */
    private static List<String> dockerHealthcheck(int port) throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile")).replace("\\\n", " ");
        String line = dockerfile.lines().filter(l -> l.startsWith("HEALTHCHECK")).findFirst().orElseThrow();
        String json = line.substring(line.indexOf("CMD") + 3).trim();
        List<String> command = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)
                .forEach(n -> command.add(n.asText().replace("/9876", "/" + port)));
        return command;
    }
}
