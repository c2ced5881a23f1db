package org.wirebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.crypto.AgeIdentity;
import org.wirebackup.demo.DemoInstallation;
import org.wirebackup.demo.TreeListing;
import org.wirebackup.run.BackupRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Try wire-backup on this machine alone: starts an SSH server on 127.0.0.1 with generated keys",
                "and a sample wire-server folder, writes the settings for it, runs one real backup through the",
                "normal routes (encrypted to a generated age key) and prints the summary, then restores that backup into fresh directories with the",
                "restore command and shows the trees are identical, and runs a drill of the copy on its backup host.",
                "Nothing leaves loopback."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the demo's keys, sample folder and backups go (default: a new temporary directory).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path demoDir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("wire-backup-demo-");
        try (DemoInstallation demo = DemoInstallation.create(demoDir)) {
            out.printf("Demo installation in %s%n", demo.dir());
            out.printf("  SSH server    127.0.0.1:%d (generated ECDSA host key, key authentication only)%n", demo.sshPort());
            out.printf("  wire-server   %s%n", demo.wireServerFolder());
            out.printf("  Cassandra     a STAND-IN node (nodetool script over a Cassandra-shaped data directory)%n");
            out.printf("  MinIO         two data directories; and one command of the operator's%n");
            out.printf("  destination   an SSH backup host (routes/backup-host.yaml, the backup-scp-sink kamelet)%n");
            out.printf("  encryption    age, to the public key of %s%n", DemoInstallation.ageIdentityOf(demo.dir()));
            out.printf("  settings      %s%n%n", demo.settingsFile());
            out.flush();
            BackupRun run;
            try (WireBackupApplication app = WireBackupApplication.startOnce(demo.settingsFile())) {
                run = app.backupNow("demo");
            }
            out.println();
            out.print(RunSummary.of(run));
            if (run.finalRecord() != null && run.finalRecord().fullBackup() != null) {
                Path fullBackup = Path.of(run.finalRecord().fullBackup().file());
                Path identity = DemoInstallation.ageIdentityOf(demo.dir());
                out.printf("%n$ java -jar wire-backup.jar verify %s   (no key: the ciphertext against its .sha256)%n",
                        fullBackup);
                VerifyCommand.print(out, fullBackup, FullBackupVerifier.verify(fullBackup));
                out.printf("%n$ java -jar wire-backup.jar verify --identity %s %s%n", identity, fullBackup);
                VerifyCommand.print(out, fullBackup, FullBackupVerifier.verify(fullBackup,
                        AgeIdentity.load("--identity", identity), "--identity"));
                if (RunSummary.exitCode(run) == WireBackupCli.OK && (restoreIntoFreshDirectories(out, demo) != 0
                        || drill(out, demo) != 0)) {
                    return WireBackupCli.FAILED;
                }
            }
            out.printf("%nRun it against your own hosts: copy %s, point it at them, and run%n"
                    + "  java -jar wire-backup.jar backup --config application.properties%n", demo.settingsFile());
            out.flush();
            return RunSummary.exitCode(run);
        }
    }

    /**
     * The restore half: the backup just made, restored through the {@code restore} command into fresh directories
     * (the settings' restore.* keys), then every restored tree compared with the original.
     */
    private int restoreIntoFreshDirectories(PrintWriter out, DemoInstallation demo) throws Exception {
        Path identity = DemoInstallation.ageIdentityOf(demo.dir());
        out.printf("%n$ java -jar wire-backup.jar restore --only wire-server,minio --identity %s --yes   (into %s)%n",
                identity, demo.dir().resolve("restored"));
        out.printf("  (the stand-in Cassandra has no CQL: CassandraBackupIT restores a real Cassandra 5.0)%n");
        out.flush();
        int restored = WireBackupCli.execute(out, spec.commandLine().getErr(), "restore", "--only",
                "wire-server,minio", "--identity", identity.toString(), "--yes", "--config",
                demo.settingsFile().toString());
        if (restored != WireBackupCli.OK) {
            return restored;
        }
        out.printf("%nThe restored trees against the originals (type, mode, size and SHA-256 of every file):%n");
        int different = 0;
        for (Path original : demo.restoredDirectories()) {
            Path copy = DemoInstallation.restoredOf(demo.dir(), original);
            TreeListing before = TreeListing.of(original);
            String difference = before.firstDifference(TreeListing.of(copy));
            if (difference == null) {
                out.printf("  identical  %s  (%d files, %d bytes)%n", copy, before.files(), before.bytes());
            } else {
                different++;
                out.printf("  DIFFERENT  %s: %s%n", copy, difference);
            }
        }
        out.flush();
        return different;
    }

    /** The drill: the copy on the demo's backup host fetched, restored in scratch space and proven, with its RTO. */
    private int drill(PrintWriter out, DemoInstallation demo) {
        out.printf("%n$ java -jar wire-backup.jar drill   (the copy from the backup host, into %s)%n",
                demo.dir().resolve("scratch-host/var/tmp/wire-drill"));
        out.printf("  (the stand-in Cassandra's part is proven as files; loading it needs a real scratch Cassandra)%n");
        out.flush();
        return WireBackupCli.execute(out, spec.commandLine().getErr(), "drill", "--config",
                demo.settingsFile().toString());
    }
}
