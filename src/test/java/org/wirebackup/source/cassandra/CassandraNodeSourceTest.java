package org.wirebackup.source.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.StandInCassandra;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.Trees;

/**
 * Cassandra node captures through the embedded SSH server against a STAND-IN node (a nodetool script over a
 * Cassandra-shaped data directory), for what one real node cannot show: a peer reported down. The real Cassandra
 * is in CassandraBackupIT.
 */
class CassandraNodeSourceTest {

    @TempDir
    Path tmp;
    StandInCassandra cassandra;

    @BeforeEach
    void standIn() throws Exception {
        cassandra = StandInCassandra.create(tmp.resolve("cassandra-host"));
    }

    private TestInstallation installation() throws Exception {
        return TestInstallation.create(tmp)
                .set("backup.wire-server.host", "")
                .set("backup.cassandra.data-dir", cassandra.dataDir.toString())
                .set("backup.cassandra.nodetool", cassandra.nodetool.toString())
                .set("backup.cassandra.config-file", cassandra.configFile.toString())
                .set("backup.cassandra.schema", "false");
    }

    @Test
    void aNodeReportedDownFailsPreflightWithTheStatusTableAndNoSnapshotIsLeft() throws Exception {
        cassandra.setStatus("UN", "DN", "UN");
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            wire.set("backup.cassandra.hosts", wire.ssh.hostSpec());

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode source = onlySource(wire);
            assertThat(source.get("status").asText()).isEqualTo("failed");
            assertThat(source.get("error").get("step").asText()).isEqualTo("preflight");
            assertThat(source.get("error").get("message").asText())
                    .contains("not every node is up and normal (192.168.220.23 DN)")
                    .contains("Datacenter: datacenter1")
                    .contains("DN  192.168.220.23");
            assertThat(alerts.text()).contains("step=preflight", "allow-degraded");
            assertThat(snapshotDirs()).isEmpty();
        }
    }

    @Test
    void aDegradedClusterIsBackedUpWhenAllowedWithAWarning() throws Exception {
        cassandra.setStatus("UN", "DN", "UN");
        try (TestInstallation wire = installation()) {
            wire.set("backup.cassandra.hosts", wire.ssh.hostSpec()).set("backup.cassandra.allow-degraded", "true");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(onlySource(wire).get("warnings").toString()).contains("degraded cluster", "192.168.220.23 DN");
        }
    }

    @Test
    void onlyThisRunsSnapshotIsArchivedThenCleared() throws Exception {
        cassandra.nodetoolSnapshot("older-snapshot");
        try (TestInstallation wire = installation()) {
            wire.set("backup.cassandra.hosts", wire.ssh.hostSpec()).set("backup.cassandra.keyspaces", "brig,galley");
            Files.writeString(cassandra.configFile, "auto_snapshot: true\nsnapshot_before_compaction: false\n");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode record = wire.onlyRunRecord();
            JsonNode source = record.get("sources").get(0);
            String runId = record.get("runId").asText();
            assertThat(source.get("name").asText()).isEqualTo("cassandra-127.0.0.1-" + wire.ssh.server.port());
            assertThat(source.get("file").asText()).endsWith(".tar.zst");
            assertThat(source.get("warnings").toString()).contains("auto_snapshot: true");
            Path extracted = Trees.extract(wire.part(record, source), tmp.resolve("restored"));
            List<String> archived = relativeFiles(extracted);
            assertThat(archived).isNotEmpty().allMatch(p -> p.matches("(brig|galley)/[a-z_]+-[0-9a-f]{32}/snapshots/wire-backup-"
                    + runId + "/.+"));
            assertThat(archived).contains("brig/user-" + tableId("brig", "user") + "/snapshots/wire-backup-" + runId + "/schema.cql",
                    "brig/user-" + tableId("brig", "user") + "/snapshots/wire-backup-" + runId + "/manifest.json",
                    "galley/member-" + tableId("galley", "member") + "/snapshots/wire-backup-" + runId + "/nb-1-big-Data.db");
            assertThat(snapshotDirs()).allMatch(d -> d.endsWith("/older-snapshot")).isNotEmpty();
        }
    }

    /** A snapshot tag a killed run left is cleared and named by the next run; the operator's own stay. */
    @Test
    void aSnapshotAKilledRunLeftIsClearedAndNamedAndTheOperatorsOwnStay() throws Exception {
        cassandra.nodetoolSnapshot("wire-backup-20261201T000000Z");
        cassandra.nodetoolSnapshot("20261201T000000Z"); // the operator's, however it is named
        cassandra.nodetoolSnapshot("before-upgrade");
        try (TestInstallation wire = installation()) {
            wire.set("backup.cassandra.hosts", wire.ssh.hostSpec());

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(onlySource(wire).get("warnings").toString()).contains("cleared snapshot"
                    + " wire-backup-20261201T000000Z on " + wire.ssh.target() + ": left by run 20261201T000000Z,"
                    + " which did not finish");
            assertThat(result.out()).contains("cleared snapshot wire-backup-20261201T000000Z");
            assertThat(snapshotDirs()).isNotEmpty().allMatch(d -> d.endsWith("/20261201T000000Z")
                    || d.endsWith("/before-upgrade"));
        }
    }

    /** The clear-up runs beside the steps after the capture; the run still waits for it and reports its failure. */
    @Test
    void aClearsnapshotThatFailsIsAWarningOfTheSourceAndAnAlertAndTheRunWaitsForIt() throws Exception {
        Path nodetool = tmp.resolve("nodetool-whose-clearsnapshot-fails");
        Files.writeString(nodetool, "#!/bin/sh\nif [ \"$1\" = clearsnapshot ]; then sleep 2;"
                + " echo 'nodetool: Failed to connect to 127.0.0.1:7199' >&2; exit 1; fi\nexec "
                + cassandra.nodetool + " \"$@\"\n");
        Files.setPosixFilePermissions(nodetool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestInstallation wire = installation(); LogCapture alerts = LogCapture.alerts()) {
            wire.set("backup.cassandra.hosts", wire.ssh.hostSpec()).set("backup.cassandra.nodetool", nodetool.toString());

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode source = onlySource(wire);
            assertThat(source.get("status").asText()).isEqualTo("ok");
            assertThat(source.get("warnings").toString()).contains("clearsnapshot failed", "Failed to connect");
            assertThat(alerts.text()).contains("step=clearsnapshot", "source=" + source.get("name").asText(),
                    "Failed to connect");
            assertThat(result.out()).contains("clearsnapshot failed");
            assertThat(snapshotDirs()).as("the snapshot the warning is about").isNotEmpty();
        }
    }

    /** nodetool is a short JMX client: each of its JVMs is told to compile with C1 only (issue 13's measurement). */
    @Test
    void everyNodetoolJvmIsToldToCompileWithC1Only() throws Exception {
        Path calls = tmp.resolve("nodetool-calls.txt");
        Path nodetool = tmp.resolve("nodetool-that-notes-its-jvm-options");
        Files.writeString(nodetool, "#!/bin/sh\necho \"$1: $JAVA_TOOL_OPTIONS\" >> " + calls + "\nexec "
                + cassandra.nodetool + " \"$@\"\n");
        Files.setPosixFilePermissions(nodetool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestInstallation wire = installation()) {
            wire.set("backup.cassandra.hosts", wire.ssh.hostSpec()).set("backup.cassandra.nodetool", nodetool.toString());

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(Files.readAllLines(calls)).containsExactlyInAnyOrder("status: -XX:TieredStopAtLevel=1",
                    "snapshot: -XX:TieredStopAtLevel=1", "tablestats: -XX:TieredStopAtLevel=1",
                    "clearsnapshot: -XX:TieredStopAtLevel=1");
        }
    }

    private JsonNode onlySource(TestInstallation wire) throws Exception {
        return wire.onlyRunRecord().get("sources").get(0);
    }

    private List<String> snapshotDirs() throws Exception {
        try (Stream<Path> walk = Files.walk(cassandra.dataDir, 4)) {
            return walk.filter(p -> p.getParent().getFileName().toString().equals("snapshots"))
                    .map(p -> cassandra.dataDir.relativize(p).toString()).toList();
        }
    }

    private static List<String> relativeFiles(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String tableId(String keyspace, String table) {
        return java.util.UUID.nameUUIDFromBytes((keyspace + table).getBytes()).toString().replace("-", "");
    }
}
