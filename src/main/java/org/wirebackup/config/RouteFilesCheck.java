package org.wirebackup.config;

import static org.wirebackup.config.RouteYaml.list;
import static org.wirebackup.config.RouteYaml.load;
import static org.wirebackup.config.RouteYaml.map;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import java.util.regex.Pattern;

/**
 * Checks the operator's route files before Camel loads them, so a mistake is one line naming the file and what is
 * wrong, not a silently ignored parameter or a stack trace: every {@code kamelet:NAME} a route calls exists (in
 * {@code routes/kamelets/} or the jar), gets only parameters that kamelet declares and every one it requires; no two
 * routes share an id or a {@code from:} endpoint.
 */
public final class RouteFilesCheck {

    private final Path routesDir;

    public RouteFilesCheck(Path routesDir) {
        this.routesDir = routesDir;
    }

    public void check() {
        Map<String, Path> ids = new HashMap<>();
        Map<String, Path> endpoints = new HashMap<>();
        for (Path file : routeFiles()) {
            for (Object item : list(load(file))) {
                Map<?, ?> route = map(map(item).get("route"));
                if (route.isEmpty()) {
                    continue;
                }
                String id = String.valueOf(route.get("id"));
                if (route.get("id") != null && ids.putIfAbsent(id, file) != null) {
                    throw error(file, "route id '" + id + "' is also the id of a route in " + ids.get(id)
                            + ": every destination needs its own name");
                }
                Map<?, ?> from = map(route.get("from"));
                Object fromUri = from.get("uri");
                if (fromUri != null && endpoints.putIfAbsent(String.valueOf(fromUri), file) != null) {
                    throw error(file, "from: " + fromUri + " is also the endpoint of a route in "
                            + endpoints.get(String.valueOf(fromUri)) + ": each route needs its own");
                }
                checkKameletCalls(file, route);
            }
        }
    }

    private List<Path> routeFiles() {
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ConfigurationException(BackupSettings.ROUTES_DIR, "cannot list " + routesDir + ": " + e.getMessage());
        }
    }

    /** Every map in the route tree with a {@code kamelet:} uri, or a {@code to: kamelet:...} string. */
    private void checkKameletCalls(Path file, Object node) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getValue() instanceof String text && text.startsWith("kamelet:")
                        && (entry.getKey().equals("uri") || entry.getKey().equals("to"))) {
                    checkKameletCall(file, text, entry.getKey().equals("uri") ? map(map.get("parameters")) : Map.of());
                }
            }
            map.values().forEach(v -> checkKameletCalls(file, v));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> checkKameletCalls(file, v));
        }
    }

    private void checkKameletCall(Path file, String uri, Map<?, ?> parameters) {
        String rest = uri.substring("kamelet:".length());
        String name = rest.split("[/?]", 2)[0];
        if (name.equals("source") || name.equals("sink")) {
            return;
        }
        Map<String, Object> given = new LinkedHashMap<>();
        parameters.forEach((k, v) -> given.put(String.valueOf(k), v));
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String pair : rest.substring(query + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                given.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? kv[1] : "");
            }
        }
        Map<?, ?> definition = kameletDefinition(file, name);
        Set<String> declared = new LinkedHashSet<>();
        map(definition.get("properties")).keySet().forEach(k -> declared.add(String.valueOf(k)));
        for (String parameter : given.keySet()) {
            if (!declared.contains(parameter)) {
                String nearest = declared.stream().min(java.util.Comparator.comparingInt(
                        d -> KnownSettings.distance(parameter, d))).orElse(null);
                throw error(file, "kamelet " + name + " has no parameter '" + parameter + "'"
                        + (nearest != null && KnownSettings.distance(parameter, nearest) <= 3
                                ? " (did you mean " + nearest + "?)" : "")
                        + "; its parameters: " + String.join(", ", declared));
            }
        }
        for (Map.Entry<String, Object> parameter : given.entrySet()) {
            Object pattern = map(map(definition.get("properties")).get(parameter.getKey())).get("pattern");
            String value = String.valueOf(parameter.getValue());
            if (pattern != null && !value.contains("{{") && !Pattern.compile(String.valueOf(pattern))
                    .matcher(value).matches()) {
                throw error(file, "kamelet " + name + " parameter '" + parameter.getKey() + "' is \""
                        + value.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0")
                        + "\", which does not match " + pattern);
            }
        }
        for (Object required : list(definition.get("required"))) {
            if (!given.containsKey(String.valueOf(required))) {
                throw error(file, "kamelet " + name + " needs parameter '" + required + "', which is not set");
            }
        }
    }

    private Map<?, ?> kameletDefinition(Path file, String name) {
        Map<?, ?> definition = definition(routesDir, name, file);
        if (definition == null) {
            throw error(file, "kamelet " + name + " does not exist (not in " + routesDir.resolve("kamelets")
                    + " nor shipped with wire-backup: backup-scp-sink, backup-s3-sink)");
        }
        return definition;
    }

    /** A kamelet's parameter defaults ({@code routes/kamelets/} first, then the jar's), as Camel applies them. */
    public static Map<String, String> defaults(Path routesDir, String name) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<?, ?> definition = definition(routesDir, name, routesDir);
        if (definition != null) {
            map(definition.get("properties")).forEach((key, property) -> {
                Object value = map(property).get("default");
                if (value != null) {
                    defaults.put(String.valueOf(key), String.valueOf(value));
                }
            });
        }
        return defaults;
    }

    /** The kamelet's {@code spec.definition}, or null when there is no such kamelet. */
    private static Map<?, ?> definition(Path routesDir, String name, Path reportAs) {
        String fileName = name + ".kamelet.yaml";
        Path own = routesDir.resolve("kamelets").resolve(fileName);
        Object kamelet;
        if (Files.isRegularFile(own)) {
            kamelet = load(own);
        } else {
            try (InputStream in = RouteFilesCheck.class.getResourceAsStream("/kamelets/" + fileName)) {
                if (in == null) {
                    return null;
                }
                kamelet = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            } catch (IOException e) {
                throw error(reportAs, "cannot read kamelet " + name + ": " + e.getMessage());
            }
        }
        return map(map(map(kamelet).get("spec")).get("definition"));
    }

    private static ConfigurationException error(Path file, String problem) {
        return new ConfigurationException(file.toString(), problem);
    }
}
