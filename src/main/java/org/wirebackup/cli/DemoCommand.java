package org.wirebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.demo.DemoInstallation;
import org.wirebackup.run.BackupRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Try wire-backup on this machine alone: starts an SSH server on 127.0.0.1 with generated keys",
                "and a sample wire-server folder, writes the settings for it, runs one real backup through the",
                "normal routes and prints the summary. Nothing leaves loopback."})
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
                out.printf("%n$ java -jar wire-backup.jar verify %s%n", fullBackup);
                VerifyCommand.print(out, fullBackup, FullBackupVerifier.verify(fullBackup));
            }
            out.printf("%nRun it against your own hosts: copy %s, point it at them, and run%n"
                    + "  java -jar wire-backup.jar backup --config application.properties%n", demo.settingsFile());
            out.flush();
            return RunSummary.exitCode(run);
        }
    }
}
