package org.wirebackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes destination files into a routes folder, exactly as an operator would (README, "Adding a destination"). */
public final class DestinationFiles {

    private DestinationFiles() {
    }

    /** {@code routes/<id>.yaml}: a destination route calling {@code kamelet} with these parameters. */
    public static Path kamelet(Path routesDir, String id, String kamelet, Map<String, Object> parameters)
            throws IOException {
        String params = parameters.entrySet().stream()
                .map(e -> "                  " + e.getKey() + ": " + (e.getValue() instanceof String
                        ? "\"" + e.getValue() + "\"" : e.getValue()))
                .collect(Collectors.joining("\n"));
        return Files.writeString(routesDir.resolve(id + ".yaml"), """
                - route:
                    id: %s
                    group: wire-backup-destination
                    from:
                      uri: direct:destination-%s
                      steps:
                        - to:
                            uri: kamelet:%s
                            parameters:
                %s
                """.formatted(id, id, kamelet, params));
    }

    public static Path scp(Path routesDir, String id, String host, Path directory, int keep) throws IOException {
        return kamelet(routesDir, id, "backup-scp-sink", Map.of("host", host, "directory", directory.toString(),
                "keep", keep));
    }

    public static Path s3(Path routesDir, String id, String endpoint, Map<String, Object> more) throws IOException {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(Map.of("bucket", "wire-backups",
                "endpoint", endpoint, "pathStyle", true));
        parameters.putAll(more);
        return kamelet(routesDir, id, "backup-s3-sink", parameters);
    }
}
