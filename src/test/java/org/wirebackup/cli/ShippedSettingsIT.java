package org.wirebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.TestInstallation;

/**
 * The settings files we ship, used as README says: copied and given only hosts and paths (top level), or given them
 * through the environment (the container's). Each backs up with the packaged jar; a settings error is one line.
 */
class ShippedSettingsIT {

    private static final List<String> HOSTS_AND_PATHS = List.of("backup.dir", "backup.routes-dir",
            "backup.ssh.identity-file", "backup.ssh.known-hosts", "backup.wire-server.host", "backup.wire-server.path");

    @TempDir
    Path tmp;

    @Test
    void theTopLevelFileWithOnlyHostsAndPathsBacksUp() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = shippedWith(Path.of("application.properties"), hostsAndPaths(wire));

            JarProcess.Result result = JarProcess.run(List.of(), Map.of(), tmp, 120, "backup", "--config",
                    settings.toString());

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("OK");
        }
    }

    @Test
    void theContainersFileWithHostsAndPathsFromTheEnvironmentBacksUp() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            Path settings = Files.copy(Path.of("docker/application.properties"), tmp.resolve("container.properties"));
            Map<String, String> environment = new HashMap<>();
            hostsAndPaths(wire).forEach((key, value) -> environment.put(key.toUpperCase().replace('.', '_')
                    .replace('-', '_'), value));

            JarProcess.Result result = JarProcess.run(List.of(), environment, tmp, 120, "backup", "--config",
                    settings.toString());

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("OK");
        }
    }

    @Test
    void aSettingsErrorIsOneLineAndNothingElse() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Map<String, String> written = new HashMap<>(hostsAndPaths(wire));
            written.put("backup.cluster.password", "hunter2");
            Path secretInFile = shippedWith(Path.of("application.properties"), written);
            Path shipped = shippedWith(Path.of("application.properties"), hostsAndPaths(wire));

            JarProcess.Result secret = JarProcess.run(List.of(), Map.of(), tmp, 60, "backup", "--config",
                    secretInFile.toString());
            JarProcess.Result badValue = JarProcess.run(List.of(), Map.of("BACKUP_SCHEDULE_CRON", "hourly"), tmp, 60,
                    "backup", "--config", shipped.toString());

            assertThat(secret.exitCode()).isEqualTo(2);
            assertThat(secret.output().strip().lines()).containsExactly("wire-backup: configuration error:"
                    + " backup.cluster.password: is a secret and is read from the environment only: set"
                    + " WIRE_BACKUP_CLUSTER_PASSWORD instead of writing it in " + secretInFile);
            assertThat(secret.output()).doesNotContain("hunter2");
            assertThat(badValue.exitCode()).isEqualTo(2);
            assertThat(badValue.output().strip().lines()).hasSize(1).first().asString()
                    .startsWith("wire-backup: configuration error: backup.schedule.cron: 'hourly'");
        }
    }

    private static Map<String, String> hostsAndPaths(TestInstallation wire) {
        return HOSTS_AND_PATHS.stream().collect(Collectors.toMap(k -> k, wire.settings::get));
    }

    /** The shipped file with each given key's line set to the value (added where the file has none). */
    private Path shippedWith(Path shipped, Map<String, String> values) throws Exception {
        Map<String, String> left = new HashMap<>(values);
        String text = Files.readString(shipped).lines().map(line -> {
            int equals = line.indexOf('=');
            String key = line.startsWith("#") || equals < 0 ? null : line.substring(0, equals).strip();
            return key != null && left.containsKey(key) ? key + "=" + left.remove(key) : line;
        }).collect(Collectors.joining("\n", "", "\n"));
        text += left.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "",
                "\n"));
        Path copy = tmp.resolve(shipped.getFileName() + "-" + values.size() + "-" + values.hashCode());
        Files.writeString(copy, text);
        return copy;
    }
}
