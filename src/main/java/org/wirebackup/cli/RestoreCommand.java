package org.wirebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.config.BackupSettings;
import org.wirebackup.restore.RestorePlan;
import org.wirebackup.restore.RestoreSource;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.ssh.RemoteCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Plan the restore of a full backup: verify it whole (parts, manifest, .sha256, unsafe tar",
                "entries), then print for every part what goes where, how, its size, and what is there now.",
                "Only --plan is built yet: until the restore itself is, restore by hand with README's runbook.",
                "Exit status: 0 plan shown, 1 the full backup does not verify, 2 bad arguments or settings."})
final class RestoreCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", defaultValue = RestoreSource.LATEST,
            description = "A full-backup file, a run id, or latest (default): the newest good one in backup.dir.")
    String source;

    @Option(names = "--plan", description = "Show what the restore would do, and change nothing.")
    boolean plan;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!plan) {
            spec.commandLine().getErr().println("wire-backup: restore: only --plan is built yet; restore by hand with"
                    + " README's runbook (restore --plan shows what goes where)");
            return WireBackupCli.USAGE;
        }
        try (WireBackupApplication app = WireBackupApplication.startOnce(config.existingFile())) {
            var registry = app.context().getRegistry();
            Path file = RestoreSource.resolve(source, registry.findSingleByType(RunRecordStore.class));
            FullBackupVerifier.Report report = FullBackupVerifier.verify(file);
            if (!report.ok()) {
                VerifyCommand.print(out, file, report);
                spec.commandLine().getErr().println("wire-backup: restore: " + file + " does not verify: nothing to"
                        + " plan; fetch another copy");
                return WireBackupCli.FAILED;
            }
            RestorePlan.of(file, report.manifest(), registry.findSingleByType(BackupSettings.class).sshUser(),
                    registry.findSingleByType(RemoteCommandRunner.class)).print(out);
            return WireBackupCli.OK;
        }
    }
}
