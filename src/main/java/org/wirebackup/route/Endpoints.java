package org.wirebackup.route;

/** The direct endpoints that join the pipeline's stages. */
public final class Endpoints {

    /** One backup run; the body is the trigger's name, the reply the finished {@code BackupRun}. */
    public static final String BACKUP = "backup";
    /** The pipeline, then the run's final record, whatever happened in it. */
    public static final String RUN_AND_RECORD = "run-and-record";
    public static final String PIPELINE = "pipeline";
    public static final String PREFLIGHT = "preflight";
    public static final String CAPTURE = "capture";
    public static final String CAPTURE_SOURCE = "capture-source";
    public static final String VERIFY = "verify";
    public static final String VERIFY_PART = "verify-part";
    public static final String AGGREGATE = "aggregate";
    public static final String CHECK_FULL_BACKUP = "check-full-backup";
    public static final String FAN_OUT = "fan-out";
    public static final String RETENTION = "retention";
    public static final String ALERT = "alert";

    private Endpoints() {
    }
}
