package org.wirebackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.PostgresServer;
import org.wirebackup.testing.SharedRuns;
import org.wirebackup.testing.SharedRuns.Run;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.WebhookReceiver;

/**
 * Three packaged-jar instances of one installation sharing a real PostgreSQL, the backup cron firing every 4
 * seconds: every firing runs once on one instance, never two runs at a time; the instance that is running killed with
 * SIGKILL: a survivor closes its run as interrupted, alerts, and runs the next firings; PostgreSQL stopped for a while:
 * no run, one alert per live instance, runs again once it is back; {@code check} on every instance sees them all;
 * the drill's cron, clustered the same way, drills once per firing.
 */
class ClusteredSchedulingIT {

    private static final int FIRING_SECONDS = 4;

    @TempDir
    Path tmp;

    @Test
    void eachFiringRunsOnceOnOneLiveInstanceThroughAKillAndADatabaseOutage() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
             WebhookReceiver alerts = WebhookReceiver.http()) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            wire.set("backup.schedule.cron", "0/" + FIRING_SECONDS + " * * * * ?")
                    .set("backup.installation-id", "ha-test")
                    .set("backup.commands", "slow")
                    .set("backup.command.slow.host", wire.ssh.hostSpec())
                    // long enough to be caught running, short enough for every firing
                    .set("backup.command.slow.command", "sleep 1.5; echo data")
                    .set("backup.command.slow.compression", "none")
                    .set("backup.keep-parts", "false")
                    .set("backup.cluster.jdbc-url", postgres.jdbcUrl())
                    .set("backup.cluster.user", PostgresServer.USER)
                    .set("backup.cluster.checkin-interval", "2s")
                    .set("backup.watchdog.interval", "2s")
                    .set("backup.alert.webhook.url", alerts.url())
                    .set("camel.management.enabled", "true");
            Map<String, String> env = Map.of("WIRE_BACKUP_CLUSTER_PASSWORD", PostgresServer.PASSWORD);
            List<Path> configs = new ArrayList<>();
            List<Integer> managementPorts = new ArrayList<>();
            Map<Long, JarProcess.Started> instances = new LinkedHashMap<>();
            for (int i = 1; i <= 3; i++) {
                managementPorts.add(freePort());
                wire.set("backup.dir", wire.root.resolve("backups-" + i).toString())
                        .set("camel.management.port", String.valueOf(managementPorts.get(i - 1)));
                Path config = Files.copy(wire.writeSettings(), wire.root.resolve("instance-" + i + ".properties"));
                configs.add(config);
                JarProcess.Started started = JarProcess.start(List.of("-Xmx256m"), env, tmp, "run", "--config",
                        config.toString());
                instances.put(started.process().pid(), started);
            }
            try {
                List<Run> steady = await(postgres, "6 good runs", runs -> runs.stream()
                        .filter(r -> r.status().equals("ok")).count() >= 6, 120, instances);

                // every instance's history and metrics are the cluster's, also where no run ran
                Run settled = steady.stream().filter(r -> r.status().equals("ok")).toList().get(4);
                for (int port : managementPorts) {
                    assertThat(get(port, "/observe/runs?limit=1000")).as("/observe/runs on port %d", port)
                            .contains("\"runId\" : \"" + settled.id() + "\"");
                    String metrics = get(port, "/observe/metrics");
                    String success = metrics.lines().filter(l -> l.startsWith("wire_backup_last_success_timestamp"))
                            .findFirst().orElseThrow(() -> new AssertionError(metrics));
                    assertThat(Double.parseDouble(success.substring(success.lastIndexOf(' ') + 1)))
                            .as(success).isGreaterThanOrEqualTo(settled.finished().getEpochSecond());
                }

                // the instance running now is killed as a power cut would stop it
                Run caught = await(postgres, "a run under way", runs -> runs.stream()
                        .anyMatch(r -> r.status().equals("running")), 30, instances).stream()
                        .filter(r -> r.status().equals("running")).findFirst().orElseThrow();
                long pid = caught.pid();
                Instant killedAt = Instant.now();
                instances.remove(pid).process().destroyForcibly().waitFor();
                List<Run> afterKill = await(postgres, "the killed run closed and a survivor's run after it",
                        runs -> closed(runs, caught.id()) && runs.stream().anyMatch(r -> r.status().equals("ok")
                                && r.started().isAfter(killedAt)), 90, instances);
                Run killed = afterKill.stream().filter(r -> r.id().equals(caught.id())).findFirst().orElseThrow();
                Run next = afterKill.stream().filter(r -> r.status().equals("ok") && r.started().isAfter(killedAt))
                        .findFirst().orElseThrow();
                assertThat(killed.error()).contains("interrupted: its instance " + caught.instance());
                assertThat(next.instance()).isNotEqualTo(caught.instance());
                Duration noticed = Duration.between(killedAt, killed.finished());
                Duration nextRun = Duration.between(killedAt, next.started());
                System.out.printf("HA IT: run %s killed with its instance %s; closed as interrupted after %.1f s,"
                                + " the next run started on %s after %.1f s%n", killed.id(), caught.instance(),
                        noticed.toMillis() / 1000.0, next.instance(), nextRun.toMillis() / 1000.0);
                assertThat(alerts.posts).anyMatch(p -> p.contains("run " + killed.id() + " on " + caught.instance()
                        + " was interrupted"));

                // the database away for a while: nobody runs, each live instance says so once, then all resume
                int postsBefore = alerts.posts.size();
                postgres.stop();
                Instant down = Instant.now();
                Thread.sleep(15_000);
                List<String> outage = alerts.posts.subList(postsBefore, alerts.posts.size()).stream()
                        .filter(p -> p.contains("the cluster database cannot be reached")).toList();
                // a run may start as soon as the server answers, before startServer() has seen it answer
                Instant restarting = Instant.now();
                postgres.startServer();
                Instant up = Instant.now();
                List<Run> afterOutage = await(postgres, "3 good runs after the outage", runs -> runs.stream()
                        .filter(r -> r.status().equals("ok") && r.started().isAfter(up)).count() >= 3, 90, instances);
                assertThat(outage).as("one alert per live instance").hasSize(2);
                Run firstAfter = afterOutage.stream().filter(r -> r.started().isAfter(up)).findFirst().orElseThrow();
                System.out.printf("HA IT: PostgreSQL stopped for %.1f s: %d alerts (one per live instance), no run;"
                                + " the first run %.1f s after it was back%n", Duration.between(down, up).toMillis() / 1000.0,
                        outage.size(), Duration.between(up, firstAfter.started()).toMillis() / 1000.0);
                assertThat(afterOutage).noneMatch(r -> r.started().isAfter(down.plusSeconds(1))
                        && r.started().isBefore(restarting));

                // an instance that still holds the installation's lock (slow, or cut off but its session alive): the
                // others skip their firings with a log line, and a backup by hand on a fourth host skips too
                List<Run> held;
                try (Connection holder = postgres.connect(); Statement lock = holder.createStatement()) {
                    lock.execute("SELECT pg_advisory_lock(" + ClusterDatabase.lockKey("ha-test") + ")");
                    Instant heldFrom = Instant.now();
                    wire.set("backup.dir", wire.root.resolve("backups-4").toString());
                    Path fourth = Files.copy(wire.writeSettings(), wire.root.resolve("instance-4.properties"));
                    JarProcess.Result byHand = JarProcess.run(List.of(), env, tmp, 60, "backup", "--config",
                            fourth.toString());
                    assertThat(byHand.output()).contains("another instance of the cluster holds the installation's"
                            + " lock");
                    Thread.sleep(FIRING_SECONDS * 1000L);
                    held = runs(postgres).stream().filter(r -> r.started().isAfter(heldFrom)).toList();
                }
                assertThat(held).as("runs while another session held the lock").isEmpty();
                String skipped = "skipped: another instance of the cluster holds the installation's lock";
                long skippingInstances = 0;
                for (JarProcess.Started instance : instances.values()) {
                    skippingInstances += Files.readString(instance.log()).contains(skipped) ? 1 : 0;
                }
                assertThat(skippingInstances).as("instances that logged a skipped firing").isPositive();
                List<Run> all = await(postgres, "a good run after the lock was let go", runs -> runs.size()
                        > afterOutage.size() && runs.get(runs.size() - 1).status().equals("ok"), 30, instances);

                // exactly once: no two runs at the same time, and no firing run twice
                List<Run> finished = all.stream().filter(r -> !r.status().equals("running")).toList();
                for (int i = 1; i < finished.size(); i++) {
                    assertThat(finished.get(i).started()).as("run %s starts after %s ended", finished.get(i).id(),
                            finished.get(i - 1).id()).isAfterOrEqualTo(finished.get(i - 1).finished());
                }
                Map<Long, Long> runsPerFiring = finished.stream().collect(Collectors.groupingBy(
                        r -> r.started().getEpochSecond() / FIRING_SECONDS, Collectors.counting()));
                long duplicates = runsPerFiring.values().stream().mapToLong(n -> n - 1).sum();
                Set<String> runners = new TreeSet<>();
                finished.forEach(r -> runners.add(r.instance()));
                System.out.printf("HA IT: %d runs by %d instances (%s), %d firings, duplicate runs %d%n",
                        finished.size(), runners.size(), runners, runsPerFiring.size(), duplicates);
                assertThat(duplicates).isZero();
                // N firings, N runs: from the third good run (every JVM warm by then) to the kill, no firing missed
                List<Long> steadySlots = steady.stream().filter(r -> r.status().equals("ok")).skip(2)
                        .map(r -> r.started().getEpochSecond() / FIRING_SECONDS).toList();
                long firings = steadySlots.get(steadySlots.size() - 1) - steadySlots.get(0) + 1;
                System.out.printf("HA IT: steady window: %d firings, %d runs; every run: %s%n", firings,
                        steadySlots.size(), finished.stream().map(r -> r.id().substring(9) + " " + r.status() + " "
                                + Duration.between(r.started(), r.finished()).toMillis() + "ms").toList());
                assertThat(steadySlots).hasSize((int) firings);

                // any instance answers for the installation, the killed one's backup directory too
                for (JarProcess.Started instance : instances.values()) {
                    instance.process().destroy();
                    instance.process().waitFor();
                }
                String newest = runs(postgres).stream().filter(r -> r.status().equals("ok")).reduce((a, b) -> b)
                        .orElseThrow().id();
                for (Path config : configs) {
                    JarProcess.Result check = JarProcess.run(List.of(), env, tmp, 60, "check", "--config",
                            config.toString());
                    assertThat(check.output()).as(config.toString()).contains("newest good backup " + newest);
                    assertThat(check.exitCode()).as(check.output()).isBetween(0, 1); // 1: the last run stopped by SIGTERM
                }

                // Quartz's tables, made by the first instance, are never made again over what they hold
                long jobs = count(postgres, "qrtz_job_details");
                JarProcess.Result again = JarProcess.run(List.of(), env, tmp, 60, "backup", "--config",
                        configs.get(0).toString());
                assertThat(again.exitCode()).as(again.output()).isZero();
                assertThat(jobs).isPositive();
                assertThat(count(postgres, "qrtz_job_details")).isEqualTo(jobs);

                // the drill's cron is clustered the same way: each firing drills once, on one instance (from=local
                // here, so every instance gets a full backup of its own first; a real cluster drills a destination)
                for (Path config : configs.subList(1, 3)) {
                    JarProcess.Result own = JarProcess.run(List.of(), env, tmp, 60, "backup", "--config",
                            config.toString());
                    assertThat(own.exitCode()).as(own.output()).isZero();
                }
                wire.set("backup.schedule.cron", "0 0 0 1 1 ? 2099")
                        .set("backup.drill.cron", "0/3 * * * * ?")
                        .set("backup.drill.from", "local")
                        .set("backup.drill.host", wire.ssh.hostSpec());
                instances.clear();
                for (int i = 1; i <= 3; i++) {
                    wire.set("backup.dir", wire.root.resolve("backups-" + i).toString())
                            .set("backup.drill.dir", Files.createDirectories(tmp.resolve("scratch-" + i)).toString());
                    Path config = Files.copy(wire.writeSettings(), configs.get(i - 1),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    JarProcess.Started started = JarProcess.start(List.of("-Xmx256m"), env, tmp, "run", "--config",
                            config.toString());
                    instances.put(started.process().pid(), started);
                }
                List<Drill> drills = awaitDrills(postgres, 4, 90, instances);
                for (JarProcess.Started instance : instances.values()) {
                    instance.process().destroy();
                    instance.process().waitFor();
                }
                drills = drills(postgres);
                Map<Long, Long> drillsPerFiring = drills.stream().collect(Collectors.groupingBy(
                        d -> d.started().getEpochSecond() / 3, Collectors.counting()));
                for (int i = 1; i < drills.size(); i++) {
                    assertThat(drills.get(i).started()).as("drill %s starts after %s ended", drills.get(i).id(),
                            drills.get(i - 1).id()).isAfterOrEqualTo(drills.get(i - 1).finished());
                }
                System.out.printf("HA IT: %d drills by %s, duplicate drills %d%n", drills.size(),
                        drills.stream().map(Drill::instance).collect(Collectors.toCollection(TreeSet::new)),
                        drillsPerFiring.values().stream().mapToLong(n -> n - 1).sum());
                assertThat(drillsPerFiring.values()).allMatch(n -> n == 1);
                JarProcess.Result drillCheck = JarProcess.run(List.of(), env, tmp, 60, "check", "--drill",
                        "--config", configs.get(2).toString());
                assertThat(drillCheck.output()).as(drillCheck.output()).contains(drills.get(drills.size() - 1).id());
            } finally {
                for (JarProcess.Started instance : instances.values()) {
                    instance.process().destroy();
                    instance.process().waitFor();
                }
            }
        }
    }

    record Drill(String id, String instance, Instant started, Instant finished) {
    }

    private static List<Drill> awaitDrills(PostgresServer postgres, int atLeast, int seconds,
                                           Map<Long, JarProcess.Started> instances) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Drill> drills = drills(postgres);
            if (drills.size() >= atLeast) {
                return drills;
            }
            Thread.sleep(250);
        }
        Map<String, String> logs = new HashMap<>();
        for (JarProcess.Started instance : instances.values()) {
            logs.put(String.valueOf(instance.process().pid()), tail(Files.readString(instance.log())));
        }
        throw new AssertionError("not " + atLeast + " drills within " + seconds + " s: " + drills(postgres)
                + "\nlogs: " + logs);
    }

    private static List<Drill> drills(PostgresServer postgres) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, instance, started_at, finished_at"
                     + " FROM wire_backup_records WHERE kind = 'drill' ORDER BY id")) {
            List<Drill> drills = new ArrayList<>();
            while (rs.next()) {
                drills.add(new Drill(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()));
            }
            return drills;
        }
    }

    private static String get(int port, String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long count(PostgresServer postgres, String table) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean closed(List<Run> runs, String id) {
        return runs.stream().anyMatch(r -> r.id().equals(id) && r.status().equals("failed"));
    }

    private static List<Run> await(PostgresServer postgres, String what, Predicate<List<Run>> done, int seconds,
                                   Map<Long, JarProcess.Started> instances) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Run> runs = List.of();
        while (System.nanoTime() < deadline) {
            for (JarProcess.Started instance : instances.values()) {
                if (!instance.process().isAlive()) {
                    throw new AssertionError("an instance ended:\n" + Files.readString(instance.log()));
                }
            }
            try {
                runs = runs(postgres);
                if (done.test(runs)) {
                    return runs;
                }
            } catch (java.sql.SQLException e) {
                // the table is made by the first instance that starts
            }
            Thread.sleep(250);
        }
        Map<String, String> logs = new HashMap<>();
        for (JarProcess.Started instance : instances.values()) {
            logs.put(String.valueOf(instance.process().pid()), tail(Files.readString(instance.log())));
        }
        throw new AssertionError("no " + what + " within " + seconds + " s; runs: " + runs + "\nlogs: " + logs);
    }

    private static String tail(String log) {
        return log.length() < 6000 ? log : log.substring(log.length() - 6000);
    }

    private static List<Run> runs(PostgresServer postgres) throws Exception {
        return SharedRuns.of(postgres);
    }
}
