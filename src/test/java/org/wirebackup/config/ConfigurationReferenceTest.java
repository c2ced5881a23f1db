package org.wirebackup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** README's configuration reference names every key of the documented application.properties, each in its own cell. */
class ConfigurationReferenceTest {

    @Test
    void readmeDocumentsEveryKey() throws Exception {
        List<String> keys = Files.readAllLines(Path.of("application.properties")).stream()
                .filter(line -> line.matches("[a-z][a-zA-Z0-9.-]*=.*"))
                .map(line -> line.substring(0, line.indexOf('=')))
                .toList();
        String readme = Files.readString(Path.of("README.md"));

        List<String> undocumented = keys.stream().filter(key -> !readme.contains("| `" + key + "` |")).toList();

        assertThat(keys).hasSizeGreaterThan(40);
        assertThat(undocumented).as("keys without a row in README's configuration reference").isEmpty();
    }
}
