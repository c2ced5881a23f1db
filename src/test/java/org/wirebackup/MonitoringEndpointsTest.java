package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.run.BackupRun;
import org.wirebackup.testing.TestInstallation;

/** While `run` is up: health checks, Prometheus metrics and the run history on the management server, over HTTP. */
class MonitoringEndpointsTest {

    @TempDir
    Path tmp;

    @Test
    void healthAndARunsFiguresAreServedOnLoopback() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("camel.management.port", String.valueOf(port)).set("backup.schedule.cron", "0 0 0 1 1 ? 2099");
            // a corrupt record of an old run: skipped, never blocks start-up or the history
            Files.writeString(Files.createDirectories(wire.backupDir.resolve("runs/20200101T000000Z"))
                    .resolve("run.json"), "{\"runId\": \"20200101T");
            // a drill recorded by `wire-backup drill` (run from cron beside the service)
            new org.wirebackup.restore.drill.DrillRecord("20261201T030000Z", "ok", "backup-host",
                    "/x/full-backup-20261201T020000Z.tar", "20261201T020000Z", 3600L, "2026-12-01T03:00:00Z",
                    "2026-12-01T03:00:42Z", 42_000, "h:/d/20261201T030000Z", false, java.util.List.of(
                    new org.wirebackup.restore.drill.DrillRecord.Part("wire-server.tar.gz", "wire-server", "ok", 100, 3L,
                            1500, null, null)), null, null, null)
                    .write(wire.backupDir);
            Main main = WireBackupApplication.camelMain(wire.writeSettings(), true);
            main.start();
            try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
                BackupRun run = template.requestBody("direct:backup", "test", BackupRun.class);
                HttpClient http = HttpClient.newHttpClient();

                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());

                HttpResponse<String> history = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/runs?limit=5")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(history.statusCode()).isEqualTo(200);
                var runs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(history.body());
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).get("runId").asText()).isEqualTo(run.id());
                assertThat(runs.get(0).get("status").asText()).isEqualTo("ok");

                HttpResponse<String> drills = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/drills")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(drills.statusCode()).isEqualTo(200);
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(drills.body()).get(0)
                        .get("drillId").asText()).isEqualTo("20261201T030000Z");

                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("UP");
                for (String probe : new String[] {"live", "ready"}) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + port + "/observe/health/" + probe)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(probe + ": " + response.body()).isEqualTo(200);
                }
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                        .contains("wire_backup_last_run_status 0.0")
                        .containsPattern("wire_backup_source_bytes\\{source=\"wire-server\"\\} [1-9]")
                        .containsPattern("wire_backup_last_success_timestamp_seconds [1-9]")
                        .contains("wire_backup_last_full_backup_bytes " + (double) run.finalRecord().fullBackup().bytes())
                        .contains("wire_backup_last_drill_rto_seconds 42.0", "wire_backup_last_drill_rpo_seconds 3600.0",
                                "wire_backup_last_drill_status 0.0",
                                "wire_backup_last_drill_part_duration_seconds{part=\"wire-server.tar.gz\"} 1.5")
                        .containsPattern("wire_backup_last_drill_success_timestamp_seconds 1\\.7");

                // the next run updates the same gauges: none is registered twice
                try (org.wirebackup.testing.LogCapture meters = org.wirebackup.testing.LogCapture.ofAllLevels("io.micrometer")) {
                    Thread.sleep(1100);
                    BackupRun second = template.requestBody("direct:backup", "test", BackupRun.class);
                    assertThat(second.finalRecord().status().json()).isEqualTo("ok");
                    assertThat(meters.text()).doesNotContain("already registered");
                }
                String after = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(after.lines().filter(l -> l.startsWith("wire_backup_source_bytes{source=\"wire-server\"}")))
                        .hasSize(1);
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void aManagementPortThatCannotBeBoundStopsStartUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
             TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            wire.set("camel.management.port", String.valueOf(taken.getLocalPort()));

            org.wirebackup.testing.Cli.Result result = org.wirebackup.testing.Cli.run("run", "--config",
                    wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).startsWith("wire-backup: configuration error: camel.management.port: the management"
                    + " server cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
