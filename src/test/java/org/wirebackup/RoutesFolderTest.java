package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.TestInstallation;

/** A YAML route dropped into the routes folder is loaded and runs beside the pipeline's own routes. */
class RoutesFolderTest {

    @TempDir
    Path tmp;

    @Test
    void yamlRouteInTheRoutesFolderIsLoaded() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp)) {
            Path marker = tmp.resolve("operator-route-ran");
            Files.writeString(wire.routesDir.resolve("operator-hello.yaml"), """
                    - route:
                        id: operator-hello
                        from:
                          uri: direct:operator-hello
                          steps:
                            - setBody:
                                constant: "hello from routes/"
                            - to:
                                uri: file:%s
                                parameters:
                                  fileName: %s
                    """.formatted(marker.getParent(), marker.getFileName()));

            try (WireBackupApplication app = WireBackupApplication.startOnce(wire.writeSettings());
                 ProducerTemplate template = app.context().createProducerTemplate()) {
                assertThat(app.context().getRoute("operator-hello")).isNotNull();
                assertThat(app.context().getRoute("backup-run")).isNotNull();
                template.sendBody("direct:operator-hello", "");
            }
            assertThat(marker).hasContent("hello from routes/");
        }
    }
}
