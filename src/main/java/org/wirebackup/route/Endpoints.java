package org.wirebackup.route;

/** The direct endpoints that join the pipeline's stages. */
public final class Endpoints {

    /** One backup run; the body is the trigger's name, the reply the finished {@code BackupRun}. */
    public static final String BACKUP = "backup";
    public static final String CAPTURE = "capture";
    public static final String CAPTURE_SOURCE = "capture-source";
    public static final String ALERT = "alert";

    private Endpoints() {
    }
}
