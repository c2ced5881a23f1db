package org.wirebackup.restore;

import static org.wirebackup.config.RouteYaml.list;
import static org.wirebackup.config.RouteYaml.load;
import static org.wirebackup.config.RouteYaml.map;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.wirebackup.config.ConfigurationException;
import org.wirebackup.config.RouteFilesCheck;

/**
 * A destination of {@code routes/}, read back for {@code restore --from NAME}: which kamelet its route calls and
 * with which parameters (placeholders resolved), so that the copy it made can be fetched the same way.
 */
public record DestinationRoute(String name, String kamelet, Map<String, String> parameters) {

    public static DestinationRoute find(Path routesDir, String name, UnaryOperator<String> placeholders) {
        try (Stream<Path> files = Files.list(routesDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                for (Object item : list(load(file))) {
                    Map<?, ?> route = map(map(item).get("route"));
                    if (name.equals(String.valueOf(route.get("id")))) {
                        DestinationRoute found = fromRoute(name, file, route, placeholders);
                        Map<String, String> parameters = new LinkedHashMap<>(
                                RouteFilesCheck.defaults(routesDir, found.kamelet()));
                        parameters.putAll(found.parameters());
                        return new DestinationRoute(name, found.kamelet(), parameters);
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("--from", "cannot read " + routesDir + ": " + e.getMessage());
        }
        throw new ConfigurationException("--from", "no destination named '" + name + "' in " + routesDir);
    }

    /**
     * The first destination of routes/ (by file name, then order in the file) whose copies wire-backup can fetch: an
     * SSH backup host or an S3 bucket of its own kamelets.
     */
    public static java.util.Optional<String> firstFetchable(Path routesDir) throws IOException {
        try (Stream<Path> files = Files.list(routesDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                for (Object item : list(load(file))) {
                    Map<?, ?> route = map(map(item).get("route"));
                    if (!"wire-backup-destination".equals(String.valueOf(route.get("group")))) {
                        continue;
                    }
                    String id = String.valueOf(route.get("id"));
                    try {
                        String kamelet = fromRoute(id, file, route, UnaryOperator.identity()).kamelet();
                        if (kamelet.equals("backup-scp-sink") || kamelet.equals("backup-s3-sink")) {
                            return java.util.Optional.of(id);
                        }
                    } catch (ConfigurationException notOurs) {
                        // a destination of the operator's own: not one to fetch from
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static DestinationRoute fromRoute(String name, Path file, Map<?, ?> route, UnaryOperator<String> placeholders) {
        for (Object step : list(map(route.get("from")).get("steps"))) {
            Map<?, ?> to = map(map(step).get("to"));
            Object uri = to.get("uri");
            if (uri != null && String.valueOf(uri).startsWith("kamelet:")) {
                Map<String, String> parameters = new LinkedHashMap<>();
                map(to.get("parameters")).forEach((k, v) -> parameters.put(String.valueOf(k),
                        placeholders.apply(String.valueOf(v))));
                return new DestinationRoute(name, String.valueOf(uri).substring("kamelet:".length()).split("[?/]")[0],
                        parameters);
            }
        }
        throw new ConfigurationException("--from", "destination '" + name + "' (" + file + ") calls no kamelet of"
                + " wire-backup's: fetch its copy by hand, then restore the file");
    }

    public String required(String parameter) {
        String value = parameters.get(parameter);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("--from", "destination '" + name + "' has no " + parameter);
        }
        return value;
    }
}
