package org.wirebackup.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.demo.EmbeddedSshServer;
import org.wirebackup.demo.KeyMaterial;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.S3Server;
import org.wirebackup.testing.TestInstallation;

/**
 * Two installations copying to the same SSH directory and the same bucket prefix, each keeping 1: each prunes only
 * the copies it made, never the other's.
 */
class SharedDestinationTest {

    @TempDir
    Path tmp;

    @Test
    void eachInstallationPrunesOnlyItsOwnCopies() throws Exception {
        Path shared = tmp.resolve("backup-host/srv/wire-backups");
        try (TestInstallation a = installation("a"); TestInstallation b = installation("b");
             EmbeddedSshServer backupHost = EmbeddedSshServer.start(0, KeyMaterial.generateEcdsa(),
                     Set.of(a.ssh.clientKey.getPublic(), b.ssh.clientKey.getPublic()), tmp, List.of());
             S3Server s3 = S3Server.start(tmp.resolve("s3"), "wire-backups")) {
            System.setProperty("aws.accessKeyId", s3.identity());
            System.setProperty("aws.secretAccessKey", s3.credential());
            for (TestInstallation wire : List.of(a, b)) {
                Files.writeString(wire.ssh.knownHosts, wire.ssh.server.knownHostsLine() + "\n"
                        + backupHost.knownHostsLine() + "\n");
                DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.target().user() + "@127.0.0.1:"
                        + backupHost.port(), shared, 1);
                DestinationFiles.s3(wire.routesDir, "offsite", s3.endpoint(), Map.of("prefix", "wire/", "keep", 1));
            }

            String a1 = backup(a);
            String b1 = backup(b);
            String a2 = backup(a);

            assertThat(backups(shared)).as("a pruned its first copy, not b's").containsExactly(b1, a2);
            assertThat(s3.keys("wire/")).as("the same in the bucket").containsExactly(
                    "wire/" + b1 + "/full-backup-" + b1 + ".tar", "wire/" + a2 + "/full-backup-" + a2 + ".tar");

            String b2 = backup(b);

            assertThat(backups(shared)).containsExactly(a2, b2);
            assertThat(s3.keys("wire/")).containsExactly("wire/" + a2 + "/full-backup-" + a2 + ".tar",
                    "wire/" + b2 + "/full-backup-" + b2 + ".tar");
            assertThat(a1).isNotEqualTo(a2);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private TestInstallation installation(String name) throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve(name));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {installation: " + name + "}\n");
        return wire;
    }

    /** One run; its run id. Runs are a second apart so that the two installations' names never collide. */
    private static String backup(TestInstallation wire) throws Exception {
        Thread.sleep(1100);
        Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());
        assertThat(result.exitCode()).as(result.out()).isZero();
        try (Stream<Path> runs = Files.list(wire.backupDir.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().reduce((x, y) -> y).orElseThrow();
        }
    }

    private static List<String> backups(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("full-backup-.*\\.tar"))
                    .map(n -> n.substring("full-backup-".length(), n.length() - ".tar".length())).sorted().toList();
        }
    }
}
