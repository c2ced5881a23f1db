package org.wirebackup.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.S3Server;
import org.wirebackup.testing.TestInstallation;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two installations copying to the same SSH directory and the same bucket prefix: each prunes, fetches, drills and
 * aborts only what it made, and their copies never share a name, even when both run in the same second.
 */
class SharedDestinationTest {

    @TempDir
    Path tmp;
    Path shared;
    TestInstallation a;
    TestInstallation b;
    EmbeddedSshServer backupHost;
    S3Server s3;

    @BeforeEach
    void start() throws Exception {
        shared = tmp.resolve("backup-host/srv/wire-backups");
        a = installation("a");
        b = installation("b");
        backupHost = EmbeddedSshServer.start(0, KeyMaterial.generateEcdsa(),
                Set.of(a.ssh.clientKey.getPublic(), b.ssh.clientKey.getPublic()), tmp, List.of());
        s3 = S3Server.start(tmp.resolve("s3"), "wire-backups");
        System.setProperty("aws.accessKeyId", s3.identity());
        System.setProperty("aws.secretAccessKey", s3.credential());
        for (TestInstallation wire : List.of(a, b)) {
            Files.writeString(wire.ssh.knownHosts, wire.ssh.server.knownHostsLine() + "\n"
                    + backupHost.knownHostsLine() + "\n");
            DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.target().user() + "@127.0.0.1:"
                    + backupHost.port(), shared, 1);
            DestinationFiles.s3(wire.routesDir, "offsite", s3.endpoint(), Map.of("prefix", "wire/", "keep", 1));
        }
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        for (AutoCloseable closeable : new AutoCloseable[] {s3, backupHost, a, b}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void eachInstallationPrunesOnlyItsOwnCopies() throws Exception {
        String a1 = backup(a);
        String b1 = backup(b);
        String a2 = backup(a);

        assertThat(backups(shared)).as("a pruned its first copy, not b's").containsExactly(b.copyName(b1),
                a.copyName(a2));
        assertThat(s3.keys("wire/")).as("the same in the bucket").containsExactly(
                "wire/" + b1 + "/" + b.copyName(b1), "wire/" + a2 + "/" + a.copyName(a2));

        String b2 = backup(b);

        assertThat(backups(shared)).containsExactly(a.copyName(a2), b.copyName(b2));
        assertThat(s3.keys("wire/")).containsExactly("wire/" + a2 + "/" + a.copyName(a2),
                "wire/" + b2 + "/" + b.copyName(b2));
        assertThat(a1).isNotEqualTo(a2);
    }

    /** On the default hourly cron two installations start in the same second: both copies are made, side by side. */
    @Test
    void twoInstallationsBackingUpInTheSameSecondNeverShareAName() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int attempt = 1; ; attempt++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<String>> runs = new ArrayList<>();
                for (TestInstallation wire : List.of(a, b)) {
                    runs.add(pool.submit(() -> {
                        together.await();
                        return backup(wire, false);
                    }));
                }
                String runOfA = runs.get(0).get();
                String runOfB = runs.get(1).get();
                assertThat(backups(shared)).contains(a.copyName(runOfA), b.copyName(runOfB));
                assertThat(s3.keys("wire/")).contains("wire/" + runOfA + "/" + a.copyName(runOfA),
                        "wire/" + runOfB + "/" + b.copyName(runOfB));
                if (runOfA.equals(runOfB)) {
                    break; // both copies of the same second are there
                }
                assertThat(attempt).as("two runs started together never began in the same second").isLessThan(6);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void restoreAndDrillFetchOnlyThisInstallationsNewestCopy() throws Exception {
        String a1 = backup(a);
        String b1 = backup(b); // the newest copy at both destinations is b's

        for (String from : List.of("backup-host", "offsite")) {
            Files.delete(a.backupDir.resolve("full-backup-" + a1 + ".tar"));
            Files.delete(a.backupDir.resolve("full-backup-" + a1 + ".tar.sha256"));
            Path settings = a.writeSettings();
            Cli.Result plan = Cli.run("restore", "--from", from, "--plan", "--config", settings.toString());

            assertThat(plan.exitCode()).as(from + ": " + plan.out() + plan.err()).isZero();
            assertThat(plan.out()).as(from).contains("Restore plan for " + a.backupDir.resolve(
                    "full-backup-" + a1 + ".tar"));
        }
        Path scratch = Files.createDirectories(a.root.resolve("scratch/var/tmp/wire-drill"));
        Path drillSettings = a.set("backup.drill.from", "offsite").set("backup.drill.host", a.ssh.hostSpec())
                .set("backup.drill.dir", scratch.toString()).writeSettings();
        Cli.Result drill = Cli.run("drill", "--config", drillSettings.toString());
        assertThat(drill.exitCode()).as(drill.out() + drill.err()).isZero();
        assertThat(drill.out()).contains("of run " + a1 + " (copy from offsite): OK").doesNotContain(b1);

        // an installation with no copy there is told whose copies there are, and how to claim them
        {
            // on a's SSH fixture (its key is authorised at the backup host), not closed here
            TestInstallation c = TestInstallation.create(tmp.resolve("c"), a.ssh, "c-host/home/wire/wire-server")
                    .set("backup.installation-id", "c");
            DestinationFiles.scp(c.routesDir, "backup-host", c.ssh.target().user() + "@127.0.0.1:"
                    + backupHost.port(), shared, 1);
            DestinationFiles.s3(c.routesDir, "offsite", s3.endpoint(), Map.of("prefix", "wire/", "keep", 1));
            for (String from : List.of("backup-host", "offsite")) {
                Cli.Result refused = Cli.run("restore", "--from", from, "--plan", "--config",
                        c.writeSettings().toString());
                assertThat(refused.exitCode()).as(from).isNotZero();
                assertThat(refused.err()).as(from).contains("no full backup of installation c", "belong to a, b",
                        "set backup.installation-id");
            }
        }
    }

    /** A copy marked as a's whose manifest says b's (renamed by hand, or planted) is refused after the fetch. */
    @Test
    void aCopyWhoseManifestNamesAnotherInstallationIsRefused() throws Exception {
        backup(a);
        String b1 = backup(b);
        String planted = a.copyName("29991231T235959Z");
        Files.copy(shared.resolve(b.copyName(b1)), shared.resolve(planted));
        Files.writeString(shared.resolve("." + planted + ".installation"), "a\n");

        Cli.Result refused = Cli.run("restore", "--from", "backup-host", "--plan", "--config",
                a.writeSettings().toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("is a backup of installation b (its manifest says so), not of a");
        assertThat(a.backupDir.resolve("full-backup-29991231T235959Z.tar")).doesNotExist();
    }

    /** An upload of b's in flight under the shared prefix is left alone by a's run. */
    @Test
    void aRunAbortsOnlyItsOwnIncompleteUploads() throws Exception {
        try (S3Client client = s3.client()) {
            String othersKey = "wire/20261204T000000Z/" + b.copyName("20261204T000000Z");
            String ownKey = "wire/20261204T000000Z/" + a.copyName("20261204T000000Z");
            String others = client.createMultipartUpload(r -> r.bucket("wire-backups").key(othersKey)).uploadId();
            String own = client.createMultipartUpload(r -> r.bucket("wire-backups").key(ownKey)).uploadId();

            backup(a);

            assertThat(client.listMultipartUploads(r -> r.bucket("wire-backups")).uploads())
                    .extracting(u -> u.uploadId()).contains(others).doesNotContain(own);
        }
    }

    private TestInstallation installation(String name) throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve(name));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {installation: " + name + "}\n");
        wire.set("backup.installation-id", name);
        return wire;
    }

    private static String backup(TestInstallation wire) throws Exception {
        return backup(wire, true);
    }

    /** One run; its run id. Kept a second apart unless {@code apart} is false. */
    private static String backup(TestInstallation wire, boolean apart) throws Exception {
        if (apart) {
            Thread.sleep(1100);
        }
        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());
        assertThat(result.exitCode()).as(result.out()).isZero();
        return result.out().lines().filter(l -> l.startsWith("run record: ")).findFirst()
                .map(l -> Path.of(l.substring(12).strip()).getParent().getFileName().toString()).orElseThrow();
    }

    private static List<String> backups(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("full-backup-.*\\.tar"))
                    .sorted().toList();
        }
    }
}
