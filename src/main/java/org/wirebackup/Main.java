package org.wirebackup;

import org.wirebackup.cli.WireBackupCli;

/** Starts the command line; everything else is camel-main. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(WireBackupCli.run(args));
    }
}
