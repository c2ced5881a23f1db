package org.wirebackup.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

/** The keys an operator's settings file sets, read the way Camel reads the file (java.util.Properties). */
final class SettingsFile {

    private SettingsFile() {
    }

    static Set<String> keys(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigurationException("--config", "cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        return properties.stringPropertyNames();
    }
}
