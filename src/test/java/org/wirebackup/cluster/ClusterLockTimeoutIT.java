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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.PostgresServer;
import org.wirebackup.testing.SharedRuns;
import org.wirebackup.testing.SharedRuns.Run;
import org.wirebackup.testing.TestInstallation;

/**
 * Two packaged-jar instances sharing a real PostgreSQL, each copying to the same SSH backup host. The instance whose
 * run holds the installation's lock is stopped with SIGSTOP (hung, swapped out, its VM paused): PostgreSQL ends its
 * silent session after {@code backup.cluster.lock-timeout} and the other instance backs up within that bound; after
 * SIGCONT the stopped run finds its lock gone and publishes nothing. Then the holder's session is ended by the
 * database ({@code pg_terminate_backend}): the same. Throughout, no two good runs overlap, and every copy at the backup
 * host belongs to a good run.
 */
class ClusterLockTimeoutIT {

    private static final int FIRING_SECONDS = 3;
    private static final int LOCK_TIMEOUT_SECONDS = 4;

    @TempDir
    Path tmp;

    @Test
    void aSilentOrDeposedHolderGivesUpItsTurnAndPublishesNothing() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Path copies = tmp.resolve("backup-host/srv/wire-backups");
            DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), copies, 0);
            wire.set("backup.schedule.cron", "0/" + FIRING_SECONDS + " * * * * ?")
                    .set("backup.installation-id", "lock-test")
                    .set("backup.commands", "slow")
                    .set("backup.command.slow.host", wire.ssh.hostSpec())
                    .set("backup.command.slow.command", "sleep 3; echo data")
                    .set("backup.command.slow.compression", "none")
                    .set("backup.keep-parts", "false")
                    .set("backup.retention.keep", "0")
                    .set("backup.cluster.jdbc-url", postgres.jdbcUrl())
                    .set("backup.cluster.user", PostgresServer.USER)
                    .set("backup.cluster.checkin-interval", "1s")
                    .set("backup.cluster.lock-timeout", LOCK_TIMEOUT_SECONDS + "s")
                    .set("camel.management.enabled", "false");
            Map<String, String> env = Map.of("WIRE_BACKUP_CLUSTER_PASSWORD", PostgresServer.PASSWORD);
            Map<Long, JarProcess.Started> instances = new LinkedHashMap<>();
            for (int i = 1; i <= 2; i++) {
                wire.set("backup.dir", wire.root.resolve("backups-" + i).toString());
                Path config = Files.copy(wire.writeSettings(), wire.root.resolve("instance-" + i + ".properties"));
                JarProcess.Started started = JarProcess.start(List.of("-Xmx256m"), env, tmp, "run", "--config",
                        config.toString());
                instances.put(started.process().pid(), started);
            }
            try {
                await(postgres, "a good run", runs -> runs.stream().anyMatch(r -> r.status().equals("ok")), 120);

                // 1: the holder stopped with SIGSTOP in the middle of its run
                Run stoppedRun = awaitRunning(postgres);
                long stoppedPid = stoppedRun.pid();
                Instant stoppedAt = Instant.now();
                signal("STOP", stoppedPid);
                List<Run> taken = await(postgres, "a good run by the other instance", runs -> runs.stream()
                        .anyMatch(r -> r.status().equals("ok") && r.started().isAfter(stoppedAt)), 60);
                Run next = taken.stream().filter(r -> r.status().equals("ok") && r.started().isAfter(stoppedAt))
                        .findFirst().orElseThrow();
                double tookOver = Duration.between(stoppedAt, next.started()).toMillis() / 1000.0;
                System.out.printf("LOCK IT: %s stopped (SIGSTOP) during run %s; run %s started on %s %.1f s later"
                        + " (lock timeout %d s, firings every %d s)%n", stoppedRun.instance(), stoppedRun.id(),
                        next.id(), next.instance(), tookOver, LOCK_TIMEOUT_SECONDS, FIRING_SECONDS);
                assertThat(next.instance()).isNotEqualTo(stoppedRun.instance());
                assertThat(tookOver).as("the other instance backs up within the lock timeout and a firing or two")
                        .isLessThan(LOCK_TIMEOUT_SECONDS + 3 * FIRING_SECONDS + 3);
                signal("CONT", stoppedPid);
                String stoppedLog = awaitLog(instances.get(stoppedPid), "The cluster's lock was lost");
                assertThat(stoppedLog).contains("The cluster's lock was lost");

                // 2: the holder's session ended by the database
                Run deposedRun = awaitRunning(postgres);
                Instant terminatedAt = Instant.now();
                assertThat(terminateLockSession(postgres)).as("the lock's session ended").isTrue();
                List<Run> after = await(postgres, "the deposed run ended and a good run after it", runs ->
                        runs.stream().anyMatch(r -> r.id().equals(deposedRun.id()) && !r.status().equals("running"))
                                && runs.stream().anyMatch(r -> r.status().equals("ok")
                                && r.started().isAfter(terminatedAt)), 60);
                Run deposed = after.stream().filter(r -> r.id().equals(deposedRun.id())).findFirst().orElseThrow();
                System.out.printf("LOCK IT: run %s on %s deposed (pg_terminate_backend): %s: %s%n", deposed.id(),
                        deposed.instance(), deposed.status(), deposed.error());
                assertThat(deposed.status()).isEqualTo("failed");

                // nothing damaged: every copy at the backup host is a good run's, whole; good runs never overlap
                Thread.sleep(2 * FIRING_SECONDS * 1000L);
                List<Run> runs = runs(postgres);
                List<Run> good = runs.stream().filter(r -> r.status().equals("ok") || r.status().equals("partial"))
                        .sorted(java.util.Comparator.comparing(Run::started)).toList();
                for (int i = 1; i < good.size(); i++) {
                    assertThat(good.get(i).started()).as("good run %s starts after %s ended", good.get(i).id(),
                            good.get(i - 1).id()).isAfterOrEqualTo(good.get(i - 1).finished());
                }
                List<String> goodIds = good.stream().map(Run::id).toList();
                try (Stream<Path> files = Files.list(copies)) {
                    List<String> names = files.map(p -> p.getFileName().toString()).toList();
                    assertThat(names).noneMatch(n -> n.endsWith(".partial"));
                    List<String> copiedRuns = names.stream().filter(n -> n.matches("full-backup-.*\\.tar"))
                            .map(n -> n.substring("full-backup-".length(), "full-backup-".length() + 16)).toList();
                    assertThat(copiedRuns).isNotEmpty().allMatch(goodIds::contains)
                            .doesNotContain(stoppedRun.id(), deposedRun.id());
                }
            } finally {
                for (JarProcess.Started instance : instances.values()) {
                    signal("CONT", instance.process().pid());
                    instance.process().destroy();
                    instance.process().waitFor();
                }
            }
        }
    }

    private static Run awaitRunning(PostgresServer postgres) throws Exception {
        return await(postgres, "a run under way", runs -> runs.stream().anyMatch(r -> r.status().equals("running")),
                60).stream().filter(r -> r.status().equals("running")).findFirst().orElseThrow();
    }

    private static void signal(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor();
    }

    /** Ends the session that holds the installation's lock, as an operator's or the database's own action would. */
    private static boolean terminateLockSession(PostgresServer postgres) throws Exception {
        long key = ClusterDatabase.lockKey("lock-test");
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE"
                     + " locktype = 'advisory' AND granted AND classid::bigint = " + (key >>> 32)
                     + " AND objid::bigint = " + (key & 0xffffffffL))) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String awaitLog(JarProcess.Started instance, String line) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String log = "";
        while (System.nanoTime() < deadline) {
            log = Files.readString(instance.log());
            if (log.contains(line)) {
                return log;
            }
            Thread.sleep(200);
        }
        return log;
    }

    private static List<Run> await(PostgresServer postgres, String what, Predicate<List<Run>> done, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Run> runs = List.of();
        while (System.nanoTime() < deadline) {
            try {
                runs = runs(postgres);
                if (done.test(runs)) {
                    return runs;
                }
            } catch (java.sql.SQLException e) {
                // the table is made by the first instance that starts
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + seconds + " s; runs: " + runs);
    }

    private static List<Run> runs(PostgresServer postgres) throws Exception {
        return SharedRuns.of(postgres);
    }
}
