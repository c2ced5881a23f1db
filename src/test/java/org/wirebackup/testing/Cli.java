package org.wirebackup.testing;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.wirebackup.cli.WireBackupCli;

/** Runs the wire-backup command line in this JVM, as an operator would from a shell. */
public final class Cli {

    private Cli() {
    }

    public record Result(int exitCode, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WireBackupCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
