package org.wirebackup.source;

import org.wirebackup.ssh.SshTarget;

/**
 * Any command of the operator's whose stdout is an archive or a dump, e.g. {@code pg_dumpall} for the PostgreSQL of
 * newer Wire installations. The command is the operator's own script, run as written.
 *
 * @param suffix what the file's name gets before the compression's extension, e.g. {@code .sql}
 * @param format {@code tar} when the output is a tar archive, else {@code raw}
 */
public record CommandSource(String name, SshTarget host, String command, String suffix, String format,
                            Compression compression) implements Source {

    public static final String KIND = "command";

    public CommandSource {
        command = command.strip().replaceAll("[;\\s]+$", "");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        org.wirebackup.ssh.ShellQuoting.quote(command); // one line: it is passed to the host's login shell
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The command as shown (logs, records, manifest): secrets written into it are hidden. */
    @Override
    public String remotePath() {
        return SecretRedaction.redact(command);
    }

    @Override
    public CapturedFile capture(CaptureContext context) throws SourceStepException {
        Compression used = context.available(host, compression);
        String script = ShellPipeline.compressed(command, "the command", used);
        return context.stream("capture", host, script, name + suffix + used.extension(), format, used);
    }
}
