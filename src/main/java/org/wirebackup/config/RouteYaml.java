package org.wirebackup.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Reads the operator's YAML route files as plain trees, for the start-up check and {@code restore --from}. */
public final class RouteYaml {

    private RouteYaml() {
    }

    /** The file's YAML tree; a file that does not parse is a configuration error naming it. */
    public static Object load(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromReader(in);
        } catch (IOException | YamlEngineException e) {
            throw new ConfigurationException(file.toString(), "is not readable YAML: "
                    + e.getMessage().replace('\n', ' '));
        }
    }

    public static Map<?, ?> map(Object node) {
        return node instanceof Map<?, ?> m ? m : Map.of();
    }

    public static List<?> list(Object node) {
        return node instanceof List<?> l ? l : List.of();
    }
}
