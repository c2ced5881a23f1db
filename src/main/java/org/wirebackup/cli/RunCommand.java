package org.wirebackup.cli;

import java.util.concurrent.Callable;

import org.wirebackup.WireBackupApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run as a service: back up on the schedule (backup.schedule.cron) until stopped.",
                "Stops gracefully on SIGTERM or Ctrl-C."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        return WireBackupApplication.runScheduled(config.existingFile());
    }
}
