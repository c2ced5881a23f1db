package org.wirebackup.cli;

import java.io.PrintWriter;

import org.wirebackup.config.ToolVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code wire-backup}: the verbs an operator runs. Exit codes: 0 ok, 1 the run failed, 2 bad usage or settings,
 * 3 partial (the full backup is good, some destination has no copy).
 */
@Command(name = "wire-backup",
        mixinStandardHelpOptions = true,
        versionProvider = WireBackupCli.Version.class,
        description = "Backup and disaster recovery for on-premise Wire installations.",
        subcommands = {RunCommand.class, BackupCommand.class, VerifyCommand.class, RestoreCommand.class,
                DrillCommand.class, CheckCommand.class, KeygenCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class WireBackupCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int PARTIAL = 3;

    public static int run(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new WireBackupCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        CommandLine.IParameterExceptionHandler usage = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((e, parsedArgs) -> {
            if (e.getCommandLine().getCommand() instanceof CheckCommand) {
                return CheckCommand.usageError(out, e.getMessage());
            }
            return usage.handleParseException(e, parsedArgs);
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println(StartupFailure.describe(e));
            return StartupFailure.isConfiguration(e) ? USAGE : FAILED;
        });
        return commandLine.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wire-backup " + ToolVersion.get()};
        }
    }
}
