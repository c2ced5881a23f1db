package org.wirebackup.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.wirebackup.config.ConfigurationException;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that reads settings. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            defaultValue = "${env:WIRE_BACKUP_CONFIG:-application.properties}",
            description = "Settings file (default: ${DEFAULT-VALUE}; env WIRE_BACKUP_CONFIG).")
    Path file;

    Path existingFile() {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("--config", "settings file " + file.toAbsolutePath()
                    + " does not exist (pass --config FILE, or run where application.properties is)");
        }
        return file;
    }
}
