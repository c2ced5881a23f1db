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
        return read(file).stringPropertyNames();
    }

    /**
     * Whether the file leaves {@code key} to the environment: it does not set it, leaves it empty, or says
     * {@code {{env:NAME}}} (as the shipped file does); a value written in the file is a secret on disk.
     */
    static boolean isFromEnvironment(Path file, String key) {
        String value = read(file).getProperty(key);
        return value == null || value.isBlank() || value.strip().matches("\\{\\{env:[A-Za-z_][A-Za-z0-9_]*:?}}");
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigurationException("--config", "cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }
}
