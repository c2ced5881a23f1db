package org.wirebackup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.TestInstallation;

/** A mistake in a destination file stops start-up with exit 2 and one line naming the file and the parameter. */
class RouteFilesCheckTest {

    @TempDir
    Path tmp;
    TestInstallation wire;

    @BeforeEach
    void start() throws IOException {
        wire = TestInstallation.create(tmp);
    }

    @AfterEach
    void stop() throws IOException {
        wire.close();
    }

    @Test
    void misspelledParameterIsNamedWithTheFileAndTheNearestParameter() throws IOException {
        Path file = DestinationFiles.kamelet(wire.routesDir, "offsite", "backup-scp-sink",
                Map.of("host", "backup1", "directroy", "/srv/backups"));

        assertRefused("wire-backup: configuration error: " + file + ": kamelet backup-scp-sink has no parameter"
                + " 'directroy' (did you mean directory?)");
    }

    @Test
    void unknownParameterIsRefused() throws IOException {
        Path file = DestinationFiles.kamelet(wire.routesDir, "offsite", "backup-s3-sink",
                Map.of("bucket", "b", "kep", 3));

        assertRefused("wire-backup: configuration error: " + file + ": kamelet backup-s3-sink has no parameter 'kep'"
                + " (did you mean keep?)");
    }

    @Test
    void missingRequiredParameterIsNamed() throws IOException {
        Path file = DestinationFiles.kamelet(wire.routesDir, "offsite", "backup-scp-sink", Map.of("host", "backup1"));

        assertRefused("wire-backup: configuration error: " + file + ": kamelet backup-scp-sink needs parameter"
                + " 'directory', which is not set");
    }

    @Test
    void aDestinationDirectoryWithALineBreakIsRefusedAtStartUp() throws IOException {
        // in a double-quoted YAML string, \n is a line break
        Path file = DestinationFiles.kamelet(wire.routesDir, "offsite", "backup-scp-sink",
                Map.of("host", "backup1", "directory", "/srv/backups\\n/etc"));

        assertRefused("wire-backup: configuration error: " + file + ": kamelet backup-scp-sink parameter 'directory'"
                + " is \"/srv/backups\\n/etc\", which does not match");
    }

    @Test
    void unknownKameletIsNamed() throws IOException {
        Path file = DestinationFiles.kamelet(wire.routesDir, "offsite", "backup-sftp-sink", Map.of("host", "b"));

        assertRefused("wire-backup: configuration error: " + file + ": kamelet backup-sftp-sink does not exist");
    }

    @Test
    void twoDestinationsWithTheSameNameOrEndpointAreRefused() throws IOException {
        DestinationFiles.scp(wire.routesDir, "offsite", "backup1", Path.of("/srv/a"), 3);
        Path copy = Files.writeString(wire.routesDir.resolve("offsite2.yaml"),
                Files.readString(wire.routesDir.resolve("offsite.yaml")).replace("/srv/a", "/srv/b"));

        assertRefused("wire-backup: configuration error: " + copy + ": route id 'offsite' is also the id of a route in "
                + wire.routesDir.resolve("offsite.yaml"));

        Files.writeString(copy, Files.readString(copy).replace("id: offsite", "id: offsite2"));
        assertRefused("wire-backup: configuration error: " + copy + ": from: direct:destination-offsite is also the"
                + " endpoint of a route in " + wire.routesDir.resolve("offsite.yaml"));
    }

    @Test
    void brokenYamlIsOneLine() throws IOException {
        Path file = Files.writeString(wire.routesDir.resolve("broken.yaml"), "- route:\n    id: [unclosed\n");

        assertRefused("wire-backup: configuration error: " + file + ": is not readable YAML");
    }

    private void assertRefused(String firstLine) throws IOException {
        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().toList()).hasSize(1);
        assertThat(result.err()).startsWith(firstLine);
        assertThat(wire.backupDir.resolve("runs")).doesNotExist();
    }
}
