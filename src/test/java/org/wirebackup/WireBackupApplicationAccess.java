package org.wirebackup;

import java.nio.file.Path;

import org.apache.camel.main.Main;

/** The application's Camel main, for tests in other packages that inject faults into its routes. */
public final class WireBackupApplicationAccess {

    private WireBackupApplicationAccess() {
    }

    public static Main camelMain(Path settings, boolean scheduled) {
        return WireBackupApplication.camelMain(settings, scheduled);
    }
}
