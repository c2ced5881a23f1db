package org.wirebackup.cli;

import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import org.wirebackup.run.BackupRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Run one backup now through the normal pipeline and print a summary.",
                "Exit status: 0 a verified full backup and a verified copy at every destination; 1 the run failed or",
                "was skipped; 2 bad settings; 3 partial: the full backup is good but some destination has no copy."})
final class BackupCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (WireBackupApplication app = WireBackupApplication.startOnce(config.existingFile())) {
            // SIGTERM or Ctrl-C during the run: stop Camel, which stops the run cleanly (record, alert, no .partial)
            Thread stopOnSignal = new Thread(app::stopQuietly, "wire-backup-stop");
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            BackupRun run = app.backupNow("cli");
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            spec.commandLine().getOut().print(RunSummary.of(run));
            spec.commandLine().getOut().flush();
            return RunSummary.exitCode(run);
        }
    }
}
